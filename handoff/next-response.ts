import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import { raisedRank, type SlaVerdict } from './sla.js';

/**
 * Whether the customer message stored at `messageSeq` went unanswered past `dueAt` while a
 * person held the conversation. `log` is the conversation's whole log, `state` its current state.
 * Pure, like `slaVerdict`: a check run twice finds the first one's `sla_breached` and records
 * nothing. One wait is one deadline: a message written while an earlier one still waits for an
 * answer is that earlier message's (superseded), so three quick messages breach once; and before
 * a person first answered, the first-response target covers the wait (superseded too).
 */
export function nextResponseVerdict(input: {
  messageSeq: number;
  dueAt: string;
  log: ReadonlyArray<{ seq: number; event: ConversationEvent }>;
  state: ConversationState;
  now: Date;
}): SlaVerdict {
  const { messageSeq, dueAt, log, state, now } = input;
  const message = log.find((e) => e.seq === messageSeq)?.event;
  const handoff = log.findLast((e) => e.seq < messageSeq && e.event.type === 'triaged');
  if (message?.type !== 'user_said' || handoff === undefined) return { kind: 'nothing', why: 'no_sla' };
  const later = log.filter((e) => e.seq > messageSeq).map((e) => e.event);
  if (later.some((e) => e.type === 'sla_breached' && e.kind === 'next_response' && e.messageSeq === messageSeq)) return { kind: 'nothing', why: 'already_recorded' };
  const lastReply = log.findLast((e) => e.seq > handoff.seq && e.seq < messageSeq && e.event.type === 'said' && e.event.author === 'agent');
  // Until a person first answered, the first-response target is what the customer waits on.
  if (lastReply === undefined) return { kind: 'nothing', why: 'superseded' };
  const waitingBefore = log.some((e) => e.seq > lastReply.seq && e.seq < messageSeq && e.event.type === 'user_said');
  if (waitingBefore) return { kind: 'nothing', why: 'superseded' };
  if (later.some((e) => e.type === 'triaged')) return { kind: 'nothing', why: 'superseded' };
  if (state.status !== 'assigned' && state.status !== 'queued') return { kind: 'nothing', why: 'not_waiting' };
  if (later.some((e) => e.type === 'status_changed' && (e.to === 'resolved' || e.to === 'bot'))) return { kind: 'nothing', why: 'not_waiting' };
  const due = Date.parse(dueAt);
  const answered = later.find((e) => e.type === 'said' && e.author === 'agent');
  if (answered !== undefined && Date.parse(answered.at) <= due) return { kind: 'nothing', why: 'met' };
  if (now.getTime() < due) return { kind: 'not_due', dueAt: new Date(due) };
  return {
    kind: 'breached',
    event: { at: now.toISOString(), type: 'sla_breached', kind: 'next_response', handoffSeq: handoff.seq, messageSeq, dueAt: new Date(due).toISOString(), priority: raisedRank(state.priority) },
  };
}
