import type { ConversationEvent } from '../../core/conversation.js';
import type { Flow, FlowContext, TurnDecision } from '../flow.js';
import { foldEvents } from '../state.js';

/** Values of a knowledge answer's "Was this helpful?" options (bots/knowledge/feedback.ts). */
export const FEEDBACK = 'feedback:';

/**
 * A knowledge answer waiting for "Was this helpful?" has nothing left to resume: offering it
 * back would only ask for the feedback again. It ends as `resolved`, as an answer given in
 * passing does (`answeredInPassing`): the customer got the answer and moved on without saying
 * it failed them ("No" leaves the feedback step, and a set-aside or cancelled answer is `abandoned`).
 */
export function setAside(ctx: FlowContext, active: Flow): ConversationEvent {
  const at = ctx.now.toISOString();
  const prompt = ctx.state.prompt;
  const awaitsFeedback = active.name === 'knowledge' && prompt?.kind === 'choice' && prompt.options.some((o) => o.value.startsWith(FEEDBACK));
  return awaitsFeedback ? { at, type: 'flow_ended', flow: active.name, outcome: 'resolved' } : { at, type: 'flow_suspended', flow: active.name };
}

/** The state a newly started flow sees: the interrupted flow's frame is not its own. */
export function withoutFrame(ctx: FlowContext, active: Flow): FlowContext {
  return { ...ctx, state: foldEvents([setAside(ctx, active)], ctx.state) };
}

/**
 * The active flow set aside while another runs; a hand-off ends it instead (a person takes
 * over, and what was tried is in the log).
 */
export function suspension(ctx: FlowContext, active: Flow, decision: TurnDecision): ConversationEvent {
  const at = ctx.now.toISOString();
  if (decision.handoff !== null) return { at, type: 'flow_ended', flow: active.name, outcome: 'abandoned' };
  return setAside(ctx, active);
}
