import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { HandoffSlaKind } from '../core/handoff-triage.js';

export type SlaBreachedEvent = Extract<ConversationEvent, { type: 'sla_breached' }>;

/** The highest stored priority rank (urgent). */
const TOP_RANK = 3;

/** The stored priority rank one level above `rank` (a breach raises it; urgent stays urgent). */
export function raisedRank(rank: number): number {
  return Math.min(TOP_RANK, rank + 1);
}

/** What a due SLA check finds. */
export type SlaVerdict =
  /** The target was missed: record this, once. */
  | { kind: 'breached'; event: SlaBreachedEvent }
  /** Checked before its time (clocks differ): check again at `dueAt`. */
  | { kind: 'not_due'; dueAt: Date }
  /** Met, recorded already, or no longer this handoff's to keep (handed back, resolved, handed off again). */
  | { kind: 'nothing'; why: 'met' | 'already_recorded' | 'not_waiting' | 'superseded' | 'no_sla' };

/**
 * Whether the SLA target `kind` of the handoff triaged at `handoffSeq` was missed, at `now`.
 * `log` is the conversation's events from `handoffSeq` on, `state` its current state. Pure, so a
 * check that runs twice (a retried job, one queued again after a restart) decides the same:
 * the second finds the first's `sla_breached` and records nothing.
 */
export function slaVerdict(input: { kind: HandoffSlaKind; handoffSeq: number; log: ReadonlyArray<{ seq: number; event: ConversationEvent }>; state: ConversationState; now: Date }): SlaVerdict {
  const { kind, handoffSeq, log, state, now } = input;
  const triaged = log.find((e) => e.seq === handoffSeq)?.event;
  if (triaged?.type !== 'triaged' || triaged.sla === undefined) return { kind: 'nothing', why: 'no_sla' };
  const later = log.filter((e) => e.seq > handoffSeq).map((e) => e.event);
  if (later.some((e) => e.type === 'sla_breached' && e.kind === kind && e.handoffSeq === handoffSeq)) return { kind: 'nothing', why: 'already_recorded' };
  if (later.some((e) => e.type === 'triaged')) return { kind: 'nothing', why: 'superseded' };
  if (state.status !== 'queued' && state.status !== 'assigned') return { kind: 'nothing', why: 'not_waiting' };
  // Handed back to the bot or resolved since, and handed off again, is a new triage (superseded above).
  if (later.some((e) => e.type === 'status_changed' && (e.to === 'resolved' || e.to === 'bot'))) return { kind: 'nothing', why: 'not_waiting' };
  const dueAt = kind === 'first_response' ? triaged.sla.firstResponseDueAt : triaged.sla.resolutionDueAt;
  const due = Date.parse(dueAt);
  const answered = later.find((e) => e.type === 'said' && e.author === 'agent');
  if (kind === 'first_response' && answered !== undefined && Date.parse(answered.at) <= due) return { kind: 'nothing', why: 'met' };
  if (now.getTime() < due) return { kind: 'not_due', dueAt: new Date(due) };
  return {
    kind: 'breached',
    event: { at: now.toISOString(), type: 'sla_breached', kind, handoffSeq, dueAt, priority: raisedRank(state.priority) },
  };
}
