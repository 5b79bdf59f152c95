import { SwitchboardError } from '../../core/errors.js';
import { buildFeatureSpace } from './features.js';
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

/** Trains the local intent classifier. Deterministic: the same examples give the same model. */
export function trainClassifier(examples: TrainingExample[]): TrainedClassifier {
  validate(examples);
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const classes = labels.length;

  // One feature space for both models: the policy model simply never sees the held-out rows'
  // labels, which is all the held-out estimate needs, and vectorising once saves a second pass.
  const space = buildFeatureSpace(examples.map((e) => e.text));
  const vectors = examples.map((e) => space.vectorize(e.text));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.intent)!);
  const workspace = new TrainingWorkspace(space.size * classes);

  const perIntent = new Map<string, number>();
  for (const e of examples) perIntent.set(e.intent, (perIntent.get(e.intent) ?? 0) + 1);
  const seen = new Map<string, number>();
  const kept: number[] = [];
  const held: number[] = [];
  examples.forEach((e, i) => {
    const k = seen.get(e.intent) ?? 0;
    seen.set(e.intent, k + 1);
    if (perIntent.get(e.intent)! >= MIN_TO_HOLD_OUT && k % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) held.push(i);
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
  const logits = new Float64Array(held.length * classes);
  const row = new Float64Array(classes);
  held.forEach((i, h) => {
    linearScores(probe, vectors[i]!, row);
    logits.set(row, h * classes);
  });
  const policy = fitPolicy(labels, { logits, gold: Int32Array.from(held, (i) => y[i]!) });

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
