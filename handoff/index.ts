export { transition, statusChange, permits, botHolds, type HandoffAction } from './transition.js';
export { AgentActions, type AgentActionResult, type ActionGuard } from './agent-actions.js';
export { assertAccess, mayAccess, maySee, mayUseConsole, type AgentAccess, type ConversationHolding } from './agent-access.js';
export { HandoffPolicy, loadHandoffPolicy, type HandoffRequest, type HandoffTriage, type HandoffTrigger, type TriageContext, type TriggerInput } from './policy.js';
export { DEFAULT_HANDOFF_POLICY_FILE, HandoffPolicyFileSchema, loadHandoffPolicyFile, parseHandoffPolicy, type HandoffPolicyFile } from './policy-file.js';
export { HandoffDesk, triagedEventOf, type HandoffSituation, type TriagedEvent } from './handoff-desk.js';
export { addBusinessMinutes, isOpen, BusinessHoursSchema, type BusinessHours } from './business-hours.js';
export { slaVerdict, type SlaVerdict, type SlaBreachedEvent } from './sla.js';
