import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import type { ErrorDetail } from '../../core/errors.js';
import type { IntentFile } from '../schema.js';
import { importError, intentsFromGroups, type PhraseGroups } from './importError.js';

/** "[100234](order_number)" and "[Cam 360]{"entity": "product"}" annotations keep only their text. */
function stripAnnotations(example: string): string {
  return example.replace(/\[([^\]]+)\](\([^)]*\)|\{[^}]*\})/g, '$1');
}

/** Reads a Rasa 3.x `nlu.yml`; synonyms, regexes and lookups are skipped. Errors name the line. */
export function importRasa(text: string, existing: readonly IntentFile[] = [], file = 'nlu.yml'): IntentFile[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? counter.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    throw importError(doc.errors.map((e) => ({ path: `${file}:${e.linePos?.[0]?.line ?? '?'}`, message: e.message.split('\n')[0] ?? e.message })));
  }
  const root = doc.contents;
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
