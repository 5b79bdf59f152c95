import type { ConversationEvent } from '../../core/conversation.js';
import type { DialogueCopy } from '../copy/dialogue.js';
import type { Flow, FlowContext, TurnDecision } from '../flow.js';
import { foldEvents } from '../state.js';
import type { DialogueDeps } from './deps.js';
import { FEEDBACK } from './set-aside.js';

/** A question answered in the middle of a flow: the answer, then the flow's question again. */
export function inPassing(copy: DialogueCopy, ctx: FlowContext, active: Flow, answer: TurnDecision): TurnDecision {
  const { events, replies } = answeredInPassing(answer, active.name, ctx.now.toISOString());
  const prompt = ctx.state.prompt;
  if (prompt !== null) replies.push({ kind: 'text', text: copy.backTo(copy.flowLabel(active.name)) }, prompt);
  return { ...answer, events, replies };
}

/** Adds the knowledge base's answer to the question asked beside the request; the request's own question stays last. */
export async function answerAlso(deps: DialogueDeps, question: FlowContext, decision: TurnDecision): Promise<void> {
  const answer = await deps.answerUnhandled?.(question, question.nlu.intent);
  if (answer === null || answer === undefined) return;
  const running = foldEvents(decision.events, question.state).activeFlow;
  const passing = answeredInPassing(answer, running, question.now.toISOString());
  decision.events.push(...passing.events);
  if (running !== null) decision.replies.unshift(...passing.replies);
  else decision.replies.push(...passing.replies);
}

/**
 * A knowledge answer given while `running` (if any) waits: that flow is set aside and taken up
 * again around it, and the answer's own frame opens and closes in the same turn (its step,
 * slots and feedback question are dropped, so they never touch the waiting flow).
 */
function answeredInPassing(answer: TurnDecision, running: string | null, at: string): Pick<TurnDecision, 'events' | 'replies'> {
  const answerFlow = answer.events.find((e): e is Extract<ConversationEvent, { type: 'flow_started' }> => e.type === 'flow_started')?.flow;
  const events: ConversationEvent[] = answer.events.filter((e) => e.type !== 'flow_step' && e.type !== 'slot_set');
  if (answerFlow !== undefined && !answer.events.some((e) => e.type === 'flow_ended')) events.push({ at, type: 'flow_ended', flow: answerFlow, outcome: 'resolved' });
  if (running !== null) {
    events.unshift({ at, type: 'flow_suspended', flow: running });
    events.push({ at, type: 'flow_resumed', flow: running });
  }
  return { events, replies: withoutFeedbackQuestion(answer.replies) };
}

/** An answer's own follow-up ("Was this helpful?") would compete with the flow's question. */
function withoutFeedbackQuestion(replies: TurnDecision['replies']): TurnDecision['replies'] {
  return replies.filter((r) => !(r.kind === 'choice' && r.options.some((o) => o.value.startsWith(FEEDBACK))));
}
