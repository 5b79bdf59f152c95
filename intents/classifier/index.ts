/** The local intent classifier: train from phrases, rank intents, decide out-of-scope. */
export { OOS_LABEL } from './model.js';
export type { TrainingExample, TrainedClassifier, RejectionPolicy, Decision } from './model.js';
export { trainClassifier, loadClassifier, type TrainOptions } from './train.js';
