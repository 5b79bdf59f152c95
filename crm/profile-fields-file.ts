import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { ProfileFieldsConfigSchema, type ProfileFieldsConfig } from '../core/profile-fields.js';
import { parseSafeYaml } from '../core/yaml.js';

export const DEFAULT_PROFILE_FIELDS_FILE = fileURLToPath(new URL('./profile-fields.yaml', import.meta.url));

/** A form's configuration is a page; anything larger is a mistake. */
const MAX_BYTES = 64 * 1024;

const FIX = 'Fix that field (docs/profiles-and-cases.md, "Profile fields") or unset PROFILE_FIELDS_FILE to use the shipped crm/profile-fields.yaml.';

/** Parses the profile-field YAML as plain data; an invalid file is an SB_ERR_CONFIG naming the file, the line or field, and the fix. */
export function parseProfileFields(source: string, file: string): ProfileFieldsConfig {
  const yaml = parseSafeYaml(source, { maxBytes: MAX_BYTES });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError('SB_ERR_CONFIG', `Profile fields ${file} is not valid YAML: line ${first.line}: ${first.message}. ${FIX}`,
      yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })));
  }
  const parsed = ProfileFieldsConfigSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = detailsFromZodIssues(parsed.error.issues);
    const first = details[0];
    throw new SwitchboardError('SB_ERR_CONFIG', `Profile fields ${file} is invalid: ${first?.path ?? '(root)'} ${first?.message ?? ''}. ${FIX}`,
      details.map((d) => ({ path: `${file}:${d.path}`, message: d.message })));
  }
  return parsed.data;
}

/** Reads and validates the profile fields (the shipped file by default): at start-up, before anything is served. */
export async function loadProfileFields(file: string = DEFAULT_PROFILE_FIELDS_FILE): Promise<ProfileFieldsConfig> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `PROFILE_FIELDS_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: PROFILE_FIELDS_FILE=/etc/switchboard/profile-fields.yaml`, [
      { path: 'PROFILE_FIELDS_FILE', message: 'file not readable' },
    ]);
  }
  return parseProfileFields(source, file);
}
