export { transition, botHolds, type HandoffAction } from './transition.js';
