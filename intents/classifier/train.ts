import { SwitchboardError } from '../../core/errors.js';
import { buildFeatureSpace } from './features.js';
import { trainLinear } from './linear.js';
import { createClassifier, type ClassifierParts, type RejectionPolicy, type TrainedClassifier, type TrainingExample } from './model.js';
import { deserializeParts, serializeParts } from './serialize.js';

const DEFAULT_POLICY: RejectionPolicy = { temperature: 1, minConfidence: 0.2, minMargin: 0 };

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
  const space = buildFeatureSpace(examples.map((e) => e.text));
  const vectors = examples.map((e) => space.vectorize(e.text));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.intent)!);
  const linear = trainLinear(vectors, y, labels.length, space.size);
  return fromParts({ labels, space, linear, policy: DEFAULT_POLICY });
}

/** Restores a classifier cached with `toJSON()`; throws SB_ERR_INTENTS naming the bad field. */
export function loadClassifier(json: unknown): TrainedClassifier {
  return fromParts(deserializeParts(json));
}

function fromParts(parts: ClassifierParts): TrainedClassifier {
  return createClassifier(parts, () => serializeParts(parts));
}
