export { createPipeline, type Pipeline } from './pipeline.js';
export { need, type Capability, type PipelineComponent, type ProviderVerdict, type TurnState } from './component.js';
export * from './steps.js';
export { analyzeSentiment } from './sentiment.js';
export { MIN_KNOWN_SHARE, Vocabulary, vocabularyComponent, type VocabularyVerdict } from './vocabulary.js';
