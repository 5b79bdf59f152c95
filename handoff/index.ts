export { transition, statusChange, permits, botHolds, type HandoffAction } from './transition.js';
export { AgentActions, type AgentActionResult } from './agent-actions.js';
