import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import type { IntentFile } from './schema.js';
import { validateIntentSources, type IntentSource } from './validate.js';

/** The shop's own intents, shipped with the code. */
export const SHOP_INTENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'shop');

/** Parses YAML text; a syntax error names the file and line. Also returns where each field is. */
export function parseIntentYaml(text: string, file: string): { doc: unknown; lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined } {
  const counter = new LineCounter();
  const document: Document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: counter });
  if (document.errors.length > 0) {
    const details: ErrorDetail[] = document.errors.map((e) => ({
      path: `${file}:${e.linePos?.[0]?.line ?? '?'}`,
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw new SwitchboardError('SB_ERR_INTENTS', `${details[0]!.path}: ${details[0]!.message}`, details);
  }
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    // The deepest node that exists: a missing phrases[10] points at the phrases list.
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { doc: document.toJS(), lineOf };
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
