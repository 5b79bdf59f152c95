/** Intent detection: intent files as content, the NLU pipeline, providers, import/export and evaluation. */
export { loadIntentFiles, parseIntentYaml, SHOP_INTENTS_DIR } from './load.js';
export { IntentFileSchema, MIN_PHRASES, normalizePhrase, type IntentFile } from './schema.js';
export { validateIntentSources, type IntentSource } from './validate.js';
export { intentActions } from './actions.js';
export { createLocalNlu, SHOP_REJECT_BUDGET, SHOP_POLICY_FOLDS, SHOP_TRAINING, trainingExamples, trainingVocabulary, type LocalNluOptions, type RetrainableNlu } from './local.js';
export { createNluEngine, type NluEngineDeps } from './engine.js';
export { createEntityExtractor, type CatalogueEntry, type EntityExtractor, type EntityExtractorOptions } from './entities/index.js';
export { analyzeSentiment, createPipeline, type Pipeline, type Capability, type PipelineComponent, type TurnState, type ProviderVerdict, type IntentRanker, type OutOfScopeRule } from './pipeline/index.js';
export { dialogflowRanker, llmRanker, createRemoteEngine, buildEmbeddingIndex, fuseRankings, type DetectIntentClient, type DialogflowRankerOptions, type LlmRankerOptions, type EmbeddingIndex } from './providers/index.js';
export { DEMO_CATALOGUE } from './demoCatalogue.js';
export * from './io/index.js';
export { evaluateIntents, findNearDuplicates, type EvaluationReport, type EvaluateOptions, type IntentScores, type Confusion, type NearDuplicate } from './evaluate.js';
export { EvalFileSchema, loadEvalSet, SHOP_EVAL_DIR, trainingOverlap, type EvalFile, type EvalSet, type LabelledMessage } from './evalSet.js';
export { evaluateHeldOut, flowIntents, labelScores, type FalseStart, type HeldOutOptions, type HeldOutReport } from './heldOut.js';
