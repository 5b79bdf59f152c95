import type { ConversationStatus } from '../core/conversation.js';
import { SwitchboardError } from '../core/errors.js';

/** What can happen to who holds a conversation. */
export type HandoffAction = 'request_human' | 'assign' | 'unassign' | 'resolve' | 'reopen' | 'return_to_bot';

const TRANSITIONS: Record<HandoffAction, Partial<Record<ConversationStatus, ConversationStatus>>> = {
  request_human: { bot: 'queued' },
  assign: { queued: 'assigned', assigned: 'assigned' },
  unassign: { assigned: 'queued' },
  resolve: { bot: 'resolved', queued: 'resolved', assigned: 'resolved' },
  reopen: { resolved: 'bot' },
  return_to_bot: { queued: 'bot', assigned: 'bot' },
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

/** True when the bot may answer the customer itself. */
export function botHolds(status: ConversationStatus): boolean {
  return status === 'bot';
}
