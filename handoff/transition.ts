import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';
import { SwitchboardError } from '../core/errors.js';

/** What can happen to who holds a conversation. */
export type HandoffAction = 'request_human' | 'assign' | 'unassign' | 'resolve' | 'reopen' | 'return_to_bot' | 'follow_up';

const TRANSITIONS: Record<HandoffAction, Partial<Record<ConversationStatus, ConversationStatus>>> = {
  request_human: { bot: 'queued' },
  assign: { queued: 'assigned', assigned: 'assigned' },
  unassign: { assigned: 'queued' },
  resolve: { bot: 'resolved', queued: 'resolved', assigned: 'resolved' },
  reopen: { resolved: 'bot' },
  return_to_bot: { queued: 'bot', assigned: 'bot' },
  // A follow-up reminder falls due on a resolved conversation: back into its team's queue.
  follow_up: { resolved: 'queued' },
};

/**
 * The only way a conversation's status changes (Chatwoot's model):
 * bot → queued → assigned → resolved. The bot is muted unless the status is `bot`.
 */
export function transition(from: ConversationStatus, action: HandoffAction): ConversationStatus {
  const to = TRANSITIONS[action][from];
  if (to === undefined) {
    throw new SwitchboardError('SB_ERR_CONFLICT', `A conversation that is ${from} cannot be changed by "${action}"`);
  }
  return to;
}

/**
 * The event that records `action` on a conversation that is `from`, or none when the status
 * stays what it is (assigning an assigned conversation to another agent). Throws SB_ERR_CONFLICT
 * when the table refuses the action.
 */
export function statusChange(from: ConversationStatus, action: HandoffAction, reason: string, at: string): ConversationEvent[] {
  const to = transition(from, action);
  return to === from ? [] : [{ at, type: 'status_changed', from, to, reason }];
}

/**
 * True when some action of the table leads from `from` to `to`. The write path checks every
 * stored `status_changed` with it, so no writer can record a change the table does not allow.
 */
export function permits(from: ConversationStatus, to: ConversationStatus): boolean {
  return Object.values(TRANSITIONS).some((row) => row[from] === to);
}

/** True when the bot may answer the customer itself. */
export function botHolds(status: ConversationStatus): boolean {
  return status === 'bot';
}
