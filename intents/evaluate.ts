import { OOS_LABEL, trainClassifier, type TrainOptions } from './classifier/index.js';
import { normalizePhrase, type IntentFile } from './schema.js';
import { seededRandom } from './classifier/linear.js';

export interface IntentScores {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
  examples: string[];
}

export interface NearDuplicate {
  similarity: number;
  a: { intent: string; phrase: string };
  b: { intent: string; phrase: string };
}

export interface EvaluationReport {
  folds: number;
  examples: number;
  /** Share of phrases whose deployed decision (out-of-scope rule on) was right; out of scope counts as "oos". */
  accuracy: number;
  /** Share whose top-ranked label was right, with no out-of-scope rule. */
  closedAccuracy: number;
  macroF1: number;
  perIntent: IntentScores[];
  confusions: Confusion[];
  nearDuplicates: NearDuplicate[];
}

export interface EvaluateOptions {
  folds?: number;
  seed?: number;
  maxConfusions?: number;
  nearDuplicateThreshold?: number;
  /** Passed to training, so the folds reject as the deployed model does. */
  training?: TrainOptions;
  onProgress?: (fold: number, folds: number) => void;
}


/** Each intent's phrases are spread evenly over the folds, so every fold tests every intent. */
function stratifiedFolds(intents: readonly IntentFile[], folds: number, seed: number): Array<Array<{ text: string; intent: string }>> {
  // Same seeded PRNG as training, so a report is the same on every run and machine.
  const random = seededRandom(seed);
  const out: Array<Array<{ text: string; intent: string }>> = Array.from({ length: folds }, () => []);
  let offset = 0;
  for (const intent of intents) {
    const phrases = [...intent.phrases];
    for (let i = phrases.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [phrases[i], phrases[j]] = [phrases[j]!, phrases[i]!];
    }
    // Rotating the start keeps folds the same size when intents have few phrases.
    phrases.forEach((text, i) => out[(i + offset) % folds]!.push({ text, intent: intent.name }));
    offset += phrases.length;
  }
  return out;
}

function trigrams(text: string): Set<string> {
  const padded = ` ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function dice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return a.size + b.size === 0 ? 0 : (2 * shared) / (a.size + b.size);
}

/** Phrases in different intents that read almost the same: the classifier cannot tell them apart. */
export function findNearDuplicates(intents: readonly IntentFile[], threshold = 0.85, limit = 25): NearDuplicate[] {
  const items = intents.flatMap((i) => i.phrases.map((phrase) => ({ intent: i.name, phrase, grams: trigrams(normalizePhrase(phrase)) })));
  const found: NearDuplicate[] = [];
  for (let x = 0; x < items.length; x++) {
    for (let y = x + 1; y < items.length; y++) {
      const a = items[x]!;
      const b = items[y]!;
      if (a.intent === b.intent) continue;
      const similarity = dice(a.grams, b.grams);
      if (similarity >= threshold) found.push({ similarity: Math.round(similarity * 1000) / 1000, a: { intent: a.intent, phrase: a.phrase }, b: { intent: b.intent, phrase: b.phrase } });
    }
  }
  return found.sort((p, q) => q.similarity - p.similarity).slice(0, limit);
}

/**
 * Stratified k-fold cross-validation of the local classifier over the intent files: each phrase
 * is classified by a model that never saw it. Out-of-scope decisions count as the "oos" label.
 */
export function evaluateIntents(intents: readonly IntentFile[], options: EvaluateOptions = {}): EvaluationReport {
  const k = Math.max(2, options.folds ?? 5);
  const folds = stratifiedFolds(intents, k, options.seed ?? 42);
  const labels = [...new Set([...intents.map((i) => i.name), OOS_LABEL])].sort();
  const confusion = new Map<string, { count: number; examples: string[] }>();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const support = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string): void => void m.set(key, (m.get(key) ?? 0) + 1);
  let correct = 0;
  let closedCorrect = 0;
  let total = 0;
  for (let f = 0; f < k; f++) {
    options.onProgress?.(f + 1, k);
    const train = folds.flatMap((fold, i) => (i === f ? [] : fold));
    const classifier = trainClassifier(train, options.training ?? {});
    for (const example of folds[f]!) {
      const ranking = classifier.rank(example.text);
      const decision = classifier.decide(ranking);
      const predicted = decision.intent ?? OOS_LABEL;
      total++;
      bump(support, example.intent);
      if (ranking[0]?.intent === example.intent) closedCorrect++;
      if (predicted === example.intent) {
        correct++;
        bump(tp, predicted);
      } else {
        bump(fp, predicted);
        bump(fn, example.intent);
        const key = `${example.intent}\u0000${predicted}`;
        const entry = confusion.get(key) ?? { count: 0, examples: [] };
        entry.count++;
        if (entry.examples.length < 3) entry.examples.push(example.text);
        confusion.set(key, entry);
      }
    }
  }
  const perIntent = labels
    .filter((l) => (support.get(l) ?? 0) > 0 || (fp.get(l) ?? 0) > 0)
    .map((intent) => {
      const t = tp.get(intent) ?? 0;
      const precision = t + (fp.get(intent) ?? 0) === 0 ? 0 : t / (t + (fp.get(intent) ?? 0));
      const recall = t + (fn.get(intent) ?? 0) === 0 ? 0 : t / (t + (fn.get(intent) ?? 0));
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { intent, precision: r(precision), recall: r(recall), f1: r(f1), support: support.get(intent) ?? 0 };
    });
  const scored = perIntent.filter((s) => s.support > 0);
  const confusions = [...confusion]
    .map(([key, v]) => {
      const [expected, predicted] = key.split('\u0000') as [string, string];
      return { expected, predicted, count: v.count, examples: v.examples };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected))
    .slice(0, options.maxConfusions ?? 10);
  return {
    folds: k,
    examples: total,
    accuracy: r(correct / Math.max(1, total)),
    closedAccuracy: r(closedCorrect / Math.max(1, total)),
    macroF1: r(scored.reduce((s, x) => s + x.f1, 0) / Math.max(1, scored.length)),
    perIntent,
    confusions,
    nearDuplicates: findNearDuplicates(intents, options.nearDuplicateThreshold ?? 0.85),
  };
}

function r(n: number): number {
  return Math.round(n * 10000) / 10000;
}
