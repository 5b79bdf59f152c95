import { SwitchboardError } from '../../core/errors.js';
import { buildFeatureSpace } from './features.js';
import { DEFAULT_LINEAR_OPTIONS, linearScores, trainLinear, TrainingWorkspace, type LinearModel } from './linear.js';
import { createClassifier, type ClassifierParts, type TrainedClassifier, type TrainingExample } from './model.js';
import { fitPolicy } from './policy.js';
import { deserializeParts, serializeParts } from './serialize.js';
import type { FeatureSpace } from './features.js';

/** One example in HOLD_OUT_EVERY of each intent is held out to learn the out-of-scope policy. */
const HOLD_OUT_EVERY = 5;
/** Intents with fewer examples than this are never held out from (they need all they have). */
const MIN_TO_HOLD_OUT = 4;
/** The policy model only has to rank like the final one; fewer epochs keep training fast. */
const POLICY_EPOCHS = 4;

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

function fitLinear(
  examples: readonly TrainingExample[],
  labelIndex: Map<string, number>,
  classes: number,
  epochs: number,
  workspace: TrainingWorkspace,
  space: FeatureSpace = buildFeatureSpace(examples.map((e) => e.text)),
): { space: FeatureSpace; linear: LinearModel } {
  const vectors = examples.map((e) => space.vectorize(e.text));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.intent)!);
  const linear = trainLinear(vectors, y, classes, space.size, { ...DEFAULT_LINEAR_OPTIONS, epochs }, workspace);
  return { space, linear };
}

/** Trains the local intent classifier. Deterministic: the same examples give the same model. */
export function trainClassifier(examples: TrainingExample[]): TrainedClassifier {
  validate(examples);
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const classes = labels.length;

  const perIntent = new Map<string, number>();
  for (const e of examples) perIntent.set(e.intent, (perIntent.get(e.intent) ?? 0) + 1);
  const seen = new Map<string, number>();
  const kept: TrainingExample[] = [];
  const held: TrainingExample[] = [];
  for (const e of examples) {
    const k = seen.get(e.intent) ?? 0;
    seen.set(e.intent, k + 1);
    if (perIntent.get(e.intent)! >= MIN_TO_HOLD_OUT && k % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) held.push(e);
    else kept.push(e);
  }
  // Sized for the final model up front, so the smaller policy model reuses the same buffers.
  const finalSpace = buildFeatureSpace(examples.map((e) => e.text));
  const workspace = new TrainingWorkspace(finalSpace.size * classes);
  const probe = fitLinear(kept, labelIndex, classes, POLICY_EPOCHS, workspace);
  const logits = new Float64Array(held.length * classes);
  const row = new Float64Array(classes);
  held.forEach((e, i) => {
    linearScores(probe.linear, probe.space.vectorize(e.text), row);
    logits.set(row, i * classes);
  });
  const policy = fitPolicy(labels, { logits, gold: Int32Array.from(held, (e) => labelIndex.get(e.intent)!) });

  const { space, linear } = fitLinear(examples, labelIndex, classes, DEFAULT_LINEAR_OPTIONS.epochs, workspace, finalSpace);
  return fromParts({ labels, space, linear, policy });
}

/** Restores a classifier cached with `toJSON()`; throws SB_ERR_INTENTS naming the bad field. */
export function loadClassifier(json: unknown): TrainedClassifier {
  return fromParts(deserializeParts(json));
}

function fromParts(parts: ClassifierParts): TrainedClassifier {
  return createClassifier(parts, () => serializeParts(parts));
}
