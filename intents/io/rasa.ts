import { isMap, isScalar, isSeq, stringify, type Node } from 'yaml';
import type { ErrorDetail } from '../../core/errors.js';
import { parseSafeYaml } from '../../core/yaml.js';
import type { IntentFile } from '../schema.js';
import { importError, intentsFromGroups, type PhraseGroups } from './importError.js';

/** "[100234](order_number)" and "[Cam 360]{"entity": "product"}" annotations keep only their text. */
function stripAnnotations(example: string): string {
  return example.replace(/\[([^\]]+)\](\([^)]*\)|\{[^}]*\})/g, '$1');
}

/** A large Rasa project's training data is a few megabytes. */
export const MAX_RASA_BYTES = 16 * 1024 * 1024;

/**
 * Reads a Rasa 3.x `nlu.yml` as plain YAML data (no tags, bounded size and aliases); synonyms,
 * regexes and lookups are skipped. Errors name the line.
 */
export function importRasa(text: string, existing: readonly IntentFile[] = [], file = 'nlu.yml'): IntentFile[] {
  const yaml = parseSafeYaml(text, { maxBytes: MAX_RASA_BYTES });
  if (!yaml.ok) throw importError(yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })));
  const lineOf = (node: Node | null | undefined): number => (node?.range ? yaml.lineAt(node.range[0]) : 1);
  const root = yaml.document.contents;
  const nlu = isMap(root) ? root.get('nlu', true) : undefined;
  if (!isSeq(nlu)) throw importError([{ path: `${file}:${lineOf(root)}`, message: 'expected a top-level "nlu:" list' }]);
  const details: ErrorDetail[] = [];
  const groups: PhraseGroups = new Map();
  for (const item of nlu.items) {
    if (!isMap(item)) {
      details.push({ path: `${file}:${lineOf(item as Node)}`, message: 'each nlu entry must be a mapping such as "- intent: name"' });
      continue;
    }
    if (item.has('synonym') || item.has('regex') || item.has('lookup')) continue;
    const intent = item.get('intent');
    const examples = item.get('examples', true);
    if (typeof intent !== 'string' || intent.trim() === '') {
      details.push({ path: `${file}:${lineOf(item)}`, message: 'entry has no "intent:" name' });
      continue;
    }
    if (!isScalar(examples) || typeof examples.value !== 'string') {
      details.push({ path: `${file}:${lineOf(item)}`, message: `intent "${intent}" needs "examples: |" with one "- phrase" per line` });
      continue;
    }
    // A block scalar's content starts on the line after "examples: |".
    const first = lineOf(examples) + (examples.type === 'BLOCK_LITERAL' || examples.type === 'BLOCK_FOLDED' ? 1 : 0);
    const group = groups.get(intent) ?? { phrases: [], where: `${file}:${lineOf(item)} (intent ${intent})` };
    examples.value.split('\n').forEach((raw, offset) => {
      const line = raw.trim();
      if (line === '') return;
      if (!line.startsWith('- ')) {
        details.push({ path: `${file}:${first + offset}`, message: `example must start with "- ": ${JSON.stringify(line)}` });
        return;
      }
      group.phrases.push(stripAnnotations(line.slice(2).trim()));
    });
    groups.set(intent, group);
  }
  if (details.length > 0) throw importError(details);
  return intentsFromGroups(groups, existing);
}

/** Writes Rasa 3.1 `nlu.yml` (intents and examples; flows and responses live in Rasa's domain, not here). */
export function exportRasa(intents: readonly IntentFile[]): string {
  const nlu = intents.map((intent) => ({ intent: intent.name, examples: `${intent.phrases.map((p) => `- ${p.replace(/\n/g, ' ')}`).join('\n')}\n` }));
  return stringify({ version: '3.1', nlu }, { lineWidth: 0, blockQuote: 'literal' });
}
