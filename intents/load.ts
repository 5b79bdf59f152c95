import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode } from 'yaml';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { parseSafeYaml } from '../core/yaml.js';
import type { IntentFile } from './schema.js';
import { validateIntentSources, type IntentSource } from './validate.js';

/** The shop's own intents, shipped with the code. */
export const SHOP_INTENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'shop');

/** An intent file is a name, a few settings and phrases: a few kilobytes. */
export const MAX_INTENT_FILE_BYTES = 1024 * 1024;

/**
 * Parses YAML text as plain data (no tags, bounded size and aliases); a problem names the file
 * and line. Also returns where each field is.
 */
export function parseIntentYaml(text: string, file: string): { doc: unknown; lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined } {
  const yaml = parseSafeYaml(text, { maxBytes: MAX_INTENT_FILE_BYTES });
  if (!yaml.ok) {
    const details: ErrorDetail[] = yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message }));
    throw new SwitchboardError('SB_ERR_INTENTS', `${details[0]!.path}: ${details[0]!.message}`, details);
  }
  const { document, lineAt } = yaml;
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    // The deepest node that exists: a missing phrases[10] points at the phrases list.
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
  return { doc: yaml.value, lineOf };
}

/** Loads and validates every `*.yaml`/`*.yml` intent file in `dir` (default: the shop's). */
export async function loadIntentFiles(dir: string = SHOP_INTENTS_DIR): Promise<IntentFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new SwitchboardError('SB_ERR_INTENTS', `Cannot read the intent folder ${dir}`, [{ path: dir, message: String(error) }], { cause: error });
  }
  if (names.length === 0) throw new SwitchboardError('SB_ERR_INTENTS', `No intent files (*.yaml) in ${dir}`, [{ path: dir, message: 'no intent files' }]);
  const shown = (name: string): string => {
    const rel = relative(process.cwd(), join(dir, name));
    return rel.startsWith('..') ? join(dir, name) : rel;
  };
  const sources: IntentSource[] = [];
  const details: ErrorDetail[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    try {
      sources.push({ file: shown(name), expectedName: basename(name).replace(/\.ya?ml$/, ''), ...parseIntentYaml(text, shown(name)) });
    } catch (error) {
      if (error instanceof SwitchboardError) details.push(...error.details);
      else throw error;
    }
  }
  if (details.length > 0) throw new SwitchboardError('SB_ERR_INTENTS', `The intent files are invalid: ${details[0]!.path} ${details[0]!.message}`, details);
  return validateIntentSources(sources);
}
