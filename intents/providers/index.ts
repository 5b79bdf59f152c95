export { dialogflowRanker, type DetectIntentClient, type DialogflowRankerOptions } from './dialogflow.js';
export { llmRanker, LlmAnswerSchema, type LlmRankerOptions } from './llm.js';
export { buildEmbeddingIndex, fuseRankings, type EmbeddingIndex } from './embeddings.js';
export { createRemoteEngine, type RemoteEngineOptions } from './engine.js';
