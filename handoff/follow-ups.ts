import { randomUUID } from 'node:crypto';
import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { ConversationWrites } from '../core/conversation-writes.js';
import type { SlaDue } from '../core/handoff-triage.js';
import { SwitchboardError } from '../core/errors.js';
import type { ActionGuard } from './agent-actions.js';
import { statusChange } from './transition.js';

/** How far ahead a follow-up may be set. */
export const MAX_FOLLOW_UP_MS = 90 * 24 * 60 * 60 * 1000;

/** A follow-up reminder as stored (`follow_up_set`). */
export interface FollowUp {
  id: string;
  conversationId: string;
  at: string;
  note: string;
  byAgentId: string;
}

/** What a due follow-up did. */
export type FollowUpOutcome =
  | { kind: 'reopened' }
  | { kind: 'notified'; assigneeId: string | null }
  /** Cancelled, replaced by a later one, recorded already, or checked before its time. */
  | { kind: 'nothing'; why: 'cancelled' | 'replaced' | 'already_recorded' | 'unknown' }
  | { kind: 'not_due'; dueAt: Date };

export interface FollowUpDeps {
  writes: ConversationWrites;
  /** The conversation's whole stored log (read under its lock). */
  events(conversationId: string): Promise<ReadonlyArray<{ seq: number; event: ConversationEvent }>>;
  /** The SLA deadlines of a reopened conversation, from the handoff policy (`HandoffPolicy.slaDue`). */
  slaDue(team: string | null, at: Date): SlaDue;
  now?: () => Date;
}

/** The follow-up still pending in `log`: the latest set, unless it was cancelled or fell due. */
export function pendingFollowUp(conversationId: string, log: ReadonlyArray<{ event: ConversationEvent }>): FollowUp | null {
  const set = log.findLast((e) => e.event.type === 'follow_up_set')?.event;
  if (set?.type !== 'follow_up_set') return null;
  const ended = log.some((e) => (e.event.type === 'follow_up_cancelled' || e.event.type === 'follow_up_due') && e.event.followUpId === set.followUpId);
  return ended ? null : { id: set.followUpId, conversationId, at: set.dueAt, note: set.note, byAgentId: set.byAgentId };
}

/**
 * Follow-up reminders an agent sets on a conversation (docs/agents.md "Follow-up reminders"):
 * `follow_up_set` on the conversation's write path, whose durable job (jobs/follow-up-job.ts) is
 * stored in the same transaction. When it falls due a resolved conversation goes back into its
 * team's queue with the note as an internal note; an open one gets the note and a
 * `follow_up_due` event, which the live feed rings on its holder's console. One pending
 * follow-up per conversation: setting another replaces it.
 */
export class FollowUps {
  constructor(private readonly deps: FollowUpDeps) {}

  async set(conversationId: string, agentId: string, request: { at: string; note: string }, guard?: ActionGuard): Promise<FollowUp> {
    const now = this.deps.now?.() ?? new Date();
    const due = new Date(request.at);
    if (Number.isNaN(due.getTime()) || due.getTime() <= now.getTime()) {
      throw new SwitchboardError('SB_ERR_VALIDATION', 'The follow-up must be in the future', [{ path: 'body.at', message: 'must be later than now' }]);
    }
    if (due.getTime() - now.getTime() > MAX_FOLLOW_UP_MS) {
      throw new SwitchboardError('SB_ERR_VALIDATION', 'A follow-up is at most 90 days ahead', [{ path: 'body.at', message: 'must be at most 90 days ahead' }]);
    }
    const followUp: FollowUp = { id: randomUUID(), conversationId, at: due.toISOString(), note: request.note, byAgentId: agentId };
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard?.(state);
      const event: ConversationEvent = { at: now.toISOString(), type: 'follow_up_set', followUpId: followUp.id, dueAt: followUp.at, note: followUp.note, byAgentId: agentId };
      return { events: [event], effects: [], result: followUp };
    });
  }

  /** Cancels the pending follow-up; SB_ERR_CONFLICT when there is none. */
  async cancel(conversationId: string, agentId: string, guard?: ActionGuard): Promise<void> {
    await this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard?.(state);
      const pending = pendingFollowUp(conversationId, await this.deps.events(conversationId));
      if (pending === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'No follow-up is scheduled for this conversation');
      const at = (this.deps.now?.() ?? new Date()).toISOString();
      return { events: [{ at, type: 'follow_up_cancelled', followUpId: pending.id, byAgentId: agentId }], effects: [], result: undefined };
    });
  }

  /** The pending follow-up of a conversation, or null. */
  async pending(conversationId: string): Promise<FollowUp | null> {
    return pendingFollowUp(conversationId, await this.deps.events(conversationId));
  }

  /**
   * Runs the follow-up `followUpId` (its job fell due), under the conversation's lock: what it
   * records depends on the log, so a retried or duplicated job records nothing the second time.
   */
  async due(conversationId: string, followUpId: string, at?: Date): Promise<FollowUpOutcome> {
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      const log = await this.deps.events(conversationId);
      const now = at ?? this.deps.now?.() ?? new Date();
      const outcome = decide(conversationId, followUpId, log, now);
      if (outcome.kind !== 'due') return { events: [], effects: [], result: outcome };
      const stamp = now.toISOString();
      const { pending } = outcome;
      const note: ConversationEvent = { at: stamp, type: 'note_added', authorId: pending.byAgentId, text: `Follow-up: ${pending.note}` };
      const reopen = state.status === 'resolved';
      const marker: ConversationEvent = { at: stamp, type: 'follow_up_due', followUpId, byAgentId: pending.byAgentId, note: pending.note, reopened: reopen };
      const events = reopen ? [...reopening(state, now, this.deps.slaDue), note, marker] : [note, marker];
      const result: FollowUpOutcome = reopen ? { kind: 'reopened' } : { kind: 'notified', assigneeId: state.assigneeId };
      return { events, effects: [], result };
    });
  }
}

function decide(conversationId: string, followUpId: string, log: ReadonlyArray<{ event: ConversationEvent }>, now: Date): FollowUpOutcome | { kind: 'due'; pending: FollowUp } {
  const set = log.find((e) => e.event.type === 'follow_up_set' && e.event.followUpId === followUpId);
  if (set === undefined) return { kind: 'nothing', why: 'unknown' };
  if (log.some((e) => e.event.type === 'follow_up_due' && e.event.followUpId === followUpId)) return { kind: 'nothing', why: 'already_recorded' };
  if (log.some((e) => e.event.type === 'follow_up_cancelled' && e.event.followUpId === followUpId)) return { kind: 'nothing', why: 'cancelled' };
  const pending = pendingFollowUp(conversationId, log);
  if (pending?.id !== followUpId) return { kind: 'nothing', why: 'replaced' };
  if (now.getTime() < Date.parse(pending.at)) return { kind: 'not_due', dueAt: new Date(pending.at) };
  return { kind: 'due', pending };
}

/** Back into the team's queue, triaged afresh: the queue measures its SLA from now, and its SLA jobs are scheduled with it. */
function reopening(state: ConversationState, now: Date, slaDue: FollowUpDeps['slaDue']): ConversationEvent[] {
  const at = now.toISOString();
  return [
    ...statusChange(state.status, 'follow_up', 'follow_up_due', at),
    { at, type: 'triaged', issueType: state.issueType ?? 'follow_up', team: state.team, priority: state.priority, detail: 'follow-up reminder due', sla: slaDue(state.team, now) },
  ];
}
