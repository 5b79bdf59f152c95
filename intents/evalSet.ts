import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { OOS_LABEL } from './classifier/index.js';
import { parseIntentYaml } from './load.js';
import { normalizePhrase, type IntentFile } from './schema.js';

/**
 * The shop's held-out evaluation messages, kept apart from the training phrases so that the
 * report measures messages the model never saw.
 */
export const SHOP_EVAL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'eval', 'shop');

/**
 * One evaluation file: messages that should all get `intent`. `intent: oos` marks negatives,
 * messages that must start nothing (small talk, other domains, keyboard mash, other languages).
 */
export const EvalFileSchema = z
  .object({
    intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be an intent name (snake_case) or "oos"'),
    description: z.string().default(''),
    messages: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one message'),
  })
  .strict();
export type EvalFile = z.infer<typeof EvalFileSchema>;

export interface LabelledMessage {
  text: string;
  /** The expected intent, or "oos" for a negative. */
  intent: string;
  /** Where it is written, "file:line". */
  source: string;
}

export interface EvalSet {
  /** Messages labelled with a shop intent. */
  inDomain: LabelledMessage[];
  /** Messages that must be rejected, or at least start no flow. */
  negatives: LabelledMessage[];
}

/**
 * Loads and validates every `*.yaml` file in `dir`. Throws SB_ERR_INTENTS with one detail per
 * problem: schema errors, an intent the intent files do not have (when `knownIntents` is given),
 * the same message (ignoring case and punctuation) twice.
 */
export async function loadEvalSet(dir: string = SHOP_EVAL_DIR, knownIntents?: readonly string[]): Promise<EvalSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new SwitchboardError('SB_ERR_INTENTS', `Cannot read the evaluation folder ${dir}`, [{ path: dir, message: String(error) }], { cause: error });
  }
  if (names.length === 0) throw new SwitchboardError('SB_ERR_INTENTS', `No evaluation files (*.yaml) in ${dir}`, [{ path: dir, message: 'no evaluation files' }]);
  const known = knownIntents === undefined ? undefined : new Set([...knownIntents, OOS_LABEL]);
  const details: ErrorDetail[] = [];
  const set: EvalSet = { inDomain: [], negatives: [] };
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = relative(process.cwd(), join(dir, name));
    const file = rel.startsWith('..') ? join(dir, name) : rel;
    let parsed: ReturnType<typeof parseIntentYaml>;
    try {
      parsed = parseIntentYaml(await readFile(join(dir, name), 'utf8'), file);
    } catch (error) {
      if (error instanceof SwitchboardError) {
        details.push(...error.details);
        continue;
      }
      throw error;
    }
    const result = EvalFileSchema.safeParse(parsed.doc);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const line = parsed.lineOf(issue.path);
        details.push({ path: `${file}:${issue.path.join('.') || '(root)'}`, message: `${issue.message}${line === undefined ? '' : ` (line ${line})`}` });
      }
      continue;
    }
    const { intent, messages } = result.data;
    if (known !== undefined && !known.has(intent)) details.push({ path: `${file}:intent`, message: `"${intent}" is not an intent of the intent files` });
    messages.forEach((text, i) => {
      const source = `${file}:${parsed.lineOf(['messages', i]) ?? 0}`;
      // Punctuation-only messages ("???", "...") normalise to nothing; they differ as written.
      const key = normalizePhrase(text) || text;
      const first = seen.get(key);
      if (first !== undefined) details.push({ path: source, message: `"${text}" is already at ${first}` });
      else seen.set(key, source);
      (intent === OOS_LABEL ? set.negatives : set.inDomain).push({ text, intent, source });
    });
  }
  if (details.length > 0) throw new SwitchboardError('SB_ERR_INTENTS', `The evaluation files are invalid: ${details[0]!.path} ${details[0]!.message}`, details);
  return set;
}

/** Evaluation messages that are also a training phrase (after normalisation): they would measure memory, not generalisation. */
export function trainingOverlap(set: EvalSet, intents: readonly IntentFile[]): Array<LabelledMessage & { trainedAs: string }> {
  const trained = new Map<string, string>();
  for (const intent of intents) for (const phrase of intent.phrases) trained.set(normalizePhrase(phrase), intent.name);
  return [...set.inDomain, ...set.negatives].flatMap((m) => {
    const trainedAs = trained.get(normalizePhrase(m.text));
    return trainedAs === undefined ? [] : [{ ...m, trainedAs }];
  });
}
