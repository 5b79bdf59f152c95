import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CaseTemplatesFileSchema, type CaseTemplate } from '../core/case-api.js';
import type { CaseKind } from '../core/case-status.js';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { validateProfile, type ProfileValues } from '../core/profile-fields.js';
import { parseSafeYaml } from '../core/yaml.js';

export const DEFAULT_CASE_TEMPLATES_FILE = fileURLToPath(new URL('./case-templates.yaml', import.meta.url));

const MAX_BYTES = 128 * 1024;
const FIX = 'Fix it (docs/profiles-and-cases.md, "Case templates") or unset CASE_TEMPLATES_FILE to use the shipped crm/case-templates.yaml.';

export type CaseFieldValidation = { ok: true; values: ProfileValues } | { ok: false; problems: ErrorDetail[] };

/**
 * The configured case templates, checked at start-up. Fields follow the profile rules
 * (core/profile-fields.ts `validateProfile`): the same types, mandatory and format checks and
 * messages, one problem per field.
 */
export class CaseTemplates {
  private readonly byId: ReadonlyMap<string, CaseTemplate>;

  constructor(readonly templates: readonly CaseTemplate[]) {
    this.byId = new Map(templates.map((t) => [t.id, t]));
  }

  get(id: string): CaseTemplate | undefined {
    return this.byId.get(id);
  }

  /** The template the bot's cases of `kind` land on (the file's check guarantees exactly one). */
  forKind(kind: CaseKind): CaseTemplate {
    const found = this.templates.find((t) => t.kinds.includes(kind));
    if (found === undefined) throw new SwitchboardError('SB_ERR_CONFIG', `No case template takes the bot's "${kind}" cases`);
    return found;
  }

  /** Checks a form's values against the template: every problem at once, as `fields.<key>`. */
  validate(template: CaseTemplate, input: Record<string, unknown>): CaseFieldValidation {
    const result = validateProfile({ phoneRegion: 'US', fields: template.fields, oneOf: [] }, input);
    if (result.ok) return result;
    return {
      ok: false,
      problems: result.problems.map((p) => ({ path: p.path, message: p.message === 'is not a profile field' ? `is not a field of template ${template.id}` : p.message })),
    };
  }

  /**
   * The template fields a bot case's details fill (no mandatory check: the bot records what it
   * knows, and an agent completes the rest), plus the details themselves, kept as they were.
   */
  botFields(template: CaseTemplate, details: Record<string, unknown>): Record<string, unknown> {
    const fields: Record<string, unknown> = { ...details };
    for (const field of template.fields) {
      const source = template.botFields[field.key] ?? field.key;
      const value = details[source];
      if (value !== undefined && value !== null) fields[field.key] = value;
    }
    return fields;
  }
}

/** Parses the templates YAML as plain data; an invalid file is SB_ERR_CONFIG naming the file, the template, the field and the fix. */
export function parseCaseTemplates(source: string, file: string): CaseTemplates {
  const yaml = parseSafeYaml(source, { maxBytes: MAX_BYTES });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError('SB_ERR_CONFIG', `Case templates ${file} is not valid YAML: line ${first.line}: ${first.message}. ${FIX}`,
      yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })));
  }
  const parsed = CaseTemplatesFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ path: `${file}:${namedPath(yaml.value, issue.path)}`, message: issue.message }));
    const first = details[0];
    throw new SwitchboardError('SB_ERR_CONFIG', `Case templates ${first?.path ?? file} ${first?.message ?? 'is invalid'}. ${FIX}`, details);
  }
  return new CaseTemplates(parsed.data.templates);
}

/** Reads and validates the templates (the shipped file by default): at start-up, before anything is served. */
export async function loadCaseTemplates(file: string = DEFAULT_CASE_TEMPLATES_FILE): Promise<CaseTemplates> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `CASE_TEMPLATES_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: CASE_TEMPLATES_FILE=/etc/switchboard/case-templates.yaml`, [
      { path: 'CASE_TEMPLATES_FILE', message: 'file not readable' },
    ]);
  }
  return parseCaseTemplates(source, file);
}

/**
 * `templates[1].fields[0].pattern` → `templates[connectivity-problem].fields[serialNumber].pattern`:
 * a person editing the file looks for the template's id and the field's key, not an index.
 */
function namedPath(root: unknown, path: ReadonlyArray<PropertyKey>): string {
  let node: unknown = root;
  let out = '';
  for (const part of path) {
    if (typeof part === 'number' && Array.isArray(node)) {
      const item: unknown = node[part];
      const name = item !== null && typeof item === 'object' ? ((item as Record<string, unknown>).id ?? (item as Record<string, unknown>).key) : undefined;
      out += `[${typeof name === 'string' ? name : part}]`;
      node = item;
      continue;
    }
    out += out === '' ? String(part) : `.${String(part)}`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(part)] : undefined;
  }
  return out === '' ? '(root)' : out;
}
