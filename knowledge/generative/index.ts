export { checkModelAnswer } from './answerCheck.js';
export type { GroundedAnswer } from './answerCheck.js';
export { CircuitBreaker } from './circuitBreaker.js';
export { scrubCustomerData } from './customerDataScrub.js';
export { buildGroundingMessages, groundingRules, RULES_MARKER } from './groundingPrompt.js';
export type { GroundingPassage } from './groundingPrompt.js';
export { DEFAULT_ANSWER_TIMEOUT_MS, GroundedAnswerer } from './groundedAnswerer.js';
export type { GroundedAnswererOptions } from './groundedAnswerer.js';
export { createGenerativeAnswerer } from './openAiCompatible.js';
