export { transition, statusChange, permits, botHolds, type HandoffAction } from './transition.js';
export { AgentActions, type AgentActionResult, type ActionGuard } from './agent-actions.js';
export { assertAccess, mayAccess, maySee, mayUseConsole, type AgentAccess, type ConversationHolding } from './agent-access.js';
