import { SwitchboardError } from '../../core/errors.js';
import { buildFeatureSpace, MIN_DF } from './features.js';
import { DEFAULT_LINEAR_OPTIONS, linearScores, trainLinear, TrainingWorkspace } from './linear.js';
import { createClassifier, type ClassifierParts, type TrainedClassifier, type TrainingExample } from './model.js';
import { fitPolicy } from './policy.js';
import { deserializeParts, serializeParts } from './serialize.js';

/** One example in HOLD_OUT_EVERY of each intent is held out to learn the out-of-scope policy. */
const HOLD_OUT_EVERY = 5;
/** Intents with fewer examples than this are never held out from (they need all they have). */
const MIN_TO_HOLD_OUT = 4;
/** The policy model only has to rank like the final one; fewer epochs keep training fast. */
const POLICY_EPOCHS = 4;

/**
 * Below this many phrases for the median intent, n-grams seen in one phrase are kept. Measured with
 * the `bench:nlu --shots` sampler on held-out rows (CLINC150 val, unsampled BANKING77 / HWU64 train rows; never
 * a test set): keeping them gains 1.6–3.3 points of closed accuracy at 5 phrases per intent and
 * 0.3–1.5 at 10; at 20 and 40 it moves closed accuracy by −0.1 to +0.9 and costs CLINC150
 * out-of-scope recall (6 points).
 */
export const FEW_PHRASES_PER_INTENT = 20;

/** MIN_DF, or 1 when the median intent has too few phrases for a singleton n-gram to be noise. */
export function minDocumentFrequency(perIntent: ReadonlyMap<string, number>): number {
  const counts = [...perIntent.values()].sort((a, b) => a - b);
  const median = counts[Math.floor((counts.length - 1) / 2)] ?? 0;
  return median < FEW_PHRASES_PER_INTENT ? 1 : MIN_DF;
}

function validate(examples: readonly TrainingExample[]): void {
  if (examples.length === 0) throw new SwitchboardError('SB_ERR_INTENTS', 'Cannot train the intent classifier on no examples');
  examples.forEach((e, i) => {
    if (typeof e.text !== 'string' || e.text.trim() === '' || typeof e.intent !== 'string' || e.intent === '') {
      throw new SwitchboardError('SB_ERR_INTENTS', `Training example ${i} needs a non-empty text and intent`, [
        { path: `examples[${i}]`, message: 'text and intent must be non-empty strings' },
      ]);
    }
  });
}

export interface TrainOptions {
  /**
   * Share of the right held-out answers the out-of-scope thresholds may give up to reject wrong
   * and out-of-scope ones (default REJECT_BUDGET). A bot whose false starts cost more than a
   * "could you rephrase?" sets it higher.
   */
  rejectBudget?: number;
  /**
   * How many held-out slices the thresholds are learnt from (1 to 5, default 1). One slice is a
   * fifth of the phrases: on a few hundred phrases the thresholds then jump with every edit.
   * Five slices score every phrase once, for four more (shorter) trainings.
   */
  policyFolds?: number;
}

/** Trains the local intent classifier. Deterministic: the same examples give the same model. */
export function trainClassifier(examples: TrainingExample[], options: TrainOptions = {}): TrainedClassifier {
  validate(examples);
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const classes = labels.length;

  const perIntent = new Map<string, number>();
  for (const e of examples) perIntent.set(e.intent, (perIntent.get(e.intent) ?? 0) + 1);
  // One feature space for both models: the policy model simply never sees the held-out rows'
  // labels, which is all the held-out estimate needs, and vectorising once saves a second pass.
  const space = buildFeatureSpace(examples.map((e) => e.text), minDocumentFrequency(perIntent));
  const vectors = examples.map((e) => space.vectorize(e.text));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.intent)!);
  const workspace = new TrainingWorkspace(space.size * classes);
  const rank = new Int32Array(examples.length);
  const seen = new Map<string, number>();
  examples.forEach((e, i) => {
    const k = seen.get(e.intent) ?? 0;
    seen.set(e.intent, k + 1);
    rank[i] = k;
  });
  const folds = Math.max(1, Math.min(HOLD_OUT_EVERY, Math.floor(options.policyFolds ?? 1)));
  const heldAll: number[] = [];
  const logitRows: Float64Array[] = [];
  for (let f = 0; f < folds; f++) {
    // Fold 0 holds out the last of every HOLD_OUT_EVERY phrases of an intent, fold 1 the one before…
    const slot = HOLD_OUT_EVERY - 1 - f;
    const kept: number[] = [];
    const held: number[] = [];
    examples.forEach((e, i) => {
      if (perIntent.get(e.intent)! >= MIN_TO_HOLD_OUT && rank[i]! % HOLD_OUT_EVERY === slot) held.push(i);
      else kept.push(i);
    });
    const probe = trainLinear(
      kept.map((i) => vectors[i]!),
      Int32Array.from(kept, (i) => y[i]!),
      classes,
      space.size,
      { ...DEFAULT_LINEAR_OPTIONS, epochs: POLICY_EPOCHS },
      workspace,
    );
    for (const i of held) {
      const row = new Float64Array(classes);
      linearScores(probe, vectors[i]!, row);
      logitRows.push(row);
      heldAll.push(i);
    }
  }
  const logits = new Float64Array(heldAll.length * classes);
  logitRows.forEach((row, h) => logits.set(row, h * classes));
  const held = heldAll;
  const policy = fitPolicy(labels, { logits, gold: Int32Array.from(held, (i) => y[i]!) }, options.rejectBudget);

  const linear = trainLinear(vectors, y, classes, space.size, DEFAULT_LINEAR_OPTIONS, workspace);
  return fromParts({ labels, space, linear, policy });
}

/** Restores a classifier cached with `toJSON()`; throws SB_ERR_INTENTS naming the bad field. */
export function loadClassifier(json: unknown): TrainedClassifier {
  return fromParts(deserializeParts(json));
}

function fromParts(parts: ClassifierParts): TrainedClassifier {
  return createClassifier(parts, () => serializeParts(parts));
}
