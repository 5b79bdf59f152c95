/** Answers from the knowledge base: retrieval confidence, the cited answer, and "was this helpful?". */
export { judgeRetrieval, type RetrievalConfidence } from './confidence.js';
export { KnowledgeAnswerer, type AnswerRequest, type ComposedAnswer, type KnowledgeAnswererDeps } from './answer.js';
export { feedbackOptions, parseFeedback, type FeedbackPress } from './feedback.js';
export { familyOfCategory, namedProduct, productFilterOf, type NamedProduct, type ProductLookup } from './product-filter.js';
