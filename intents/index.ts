/** Intent detection: intent files as content, the NLU pipeline, providers, import/export and evaluation. */
export { loadIntentFiles, parseIntentYaml, SHOP_INTENTS_DIR } from './load.js';
export { IntentFileSchema, MIN_PHRASES, normalizePhrase, type IntentFile } from './schema.js';
export { validateIntentSources, type IntentSource } from './validate.js';
export { intentActions } from './actions.js';
export { createLocalNlu, trainingExamples, type LocalNluOptions, type RetrainableNlu } from './local.js';
export { createNluEngine, type NluEngineDeps } from './engine.js';
export { createEntityExtractor, type CatalogueEntry, type EntityExtractor, type EntityExtractorOptions } from './entities/index.js';
export { analyzeSentiment } from './pipeline/sentiment.js';
export { createPipeline, type Pipeline } from './pipeline/pipeline.js';
export type { Capability, PipelineComponent, TurnState, ProviderVerdict } from './pipeline/component.js';
export type { IntentRanker, OutOfScopeRule } from './pipeline/steps.js';
export { dialogflowRanker, type DetectIntentClient, type DialogflowRankerOptions } from './providers/dialogflow.js';
export { llmRanker, type LlmRankerOptions } from './providers/llm.js';
export { createRemoteEngine } from './providers/engine.js';
export { DEMO_CATALOGUE } from './demoCatalogue.js';
export * from './io/index.js';
export { evaluateIntents, findNearDuplicates, type EvaluationReport, type EvaluateOptions, type IntentScores, type Confusion, type NearDuplicate } from './evaluate.js';
