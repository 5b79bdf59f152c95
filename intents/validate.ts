import { detailsFromZodIssues, SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { IntentFileSchema, normalizePhrase, type IntentFile } from './schema.js';

/** A parsed but not yet validated intent document and where it came from (a file, a zip entry…). */
export interface IntentSource {
  /** Shown in errors, e.g. "intents/shop/order_status.yaml". */
  file: string;
  /** The name the file implies (its base name), when the source has one. */
  expectedName?: string;
  doc: unknown;
  /** The 1-based line of a field (e.g. ['phrases', 3]) in the source text, when known. */
  lineOf?: (path: ReadonlyArray<PropertyKey>) => number | undefined;
}

/** "… (line 12)" when the source knows where the field is. */
function at(source: IntentSource, path: ReadonlyArray<PropertyKey>, message: string): string {
  const line = source.lineOf?.(path);
  return line === undefined ? message : `${message} (line ${line})`;
}

/**
 * Validates a whole set of intents at once so the editor sees every problem in one go:
 * schema errors, a name that differs from its file, duplicate intent names, and the same
 * phrase (after normalisation) in two intents, naming both files.
 */
export function validateIntentSources(sources: readonly IntentSource[]): IntentFile[] {
  const details: ErrorDetail[] = [];
  const files: IntentFile[] = [];
  const byName = new Map<string, string>();
  const phraseOwner = new Map<string, { file: string; intent: string }>();
  for (const source of sources) {
    const parsed = IntentFileSchema.safeParse(source.doc);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [detail] = detailsFromZodIssues([issue], `${source.file}:`).map(fixPrefix);
        details.push({ path: detail!.path, message: at(source, issue.path, detail!.message) });
      }
      continue;
    }
    const intent = parsed.data;
    if (source.expectedName !== undefined && intent.name !== source.expectedName) {
      details.push({ path: `${source.file}:name`, message: at(source, ['name'], `is "${intent.name}" but the file is named "${source.expectedName}"`) });
    }
    const other = byName.get(intent.name);
    if (other !== undefined) details.push({ path: `${source.file}:name`, message: `intent "${intent.name}" is also defined in ${other}` });
    byName.set(intent.name, source.file);
    const own = new Set<string>();
    intent.phrases.forEach((phrase, i) => {
      const key = normalizePhrase(phrase);
      if (own.has(key)) return; // repeats inside one intent are harmless
      own.add(key);
      const owner = phraseOwner.get(key);
      if (owner !== undefined && owner.intent !== intent.name) {
        details.push({
          path: `${source.file}:phrases[${i}]`,
          message: at(source, ['phrases', i], `"${phrase}" is also a phrase of intent "${owner.intent}" in ${owner.file}`),
        });
      } else phraseOwner.set(key, { file: source.file, intent: intent.name });
    });
    files.push(intent);
  }
  if (details.length > 0) {
    const first = details[0]!;
    throw new SwitchboardError('SB_ERR_INTENTS', `The intent files are invalid: ${first.path} ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// formatPath joins "file.yaml:" and the first key with a dot; keep "file.yaml:phrases" readable.
function fixPrefix(detail: ErrorDetail): ErrorDetail {
  return { ...detail, path: detail.path.replace(/:\./, ':').replace(/:$/, '') };
}
