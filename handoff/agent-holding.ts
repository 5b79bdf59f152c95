import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState, ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationEffect } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import { statusChange } from './transition.js';

/**
 * What an agent acting in a conversation needs first, as a reply does (AgentActions.agentSay):
 * they hold it, or it waits in the queue and acting takes it, so the bot stays muted and other
 * agents see who is working it. Refused (409) when another agent holds it or the bot still does.
 */
export function holdingFor(state: ConversationState, agentId: string, at: string): ConversationEvent[] {
  if (state.status === 'assigned') {
    if (state.assigneeId !== agentId) throw new SwitchboardError('SB_ERR_CONFLICT', 'Another agent holds this conversation');
    return [];
  }
  if (state.status !== 'queued') throw new SwitchboardError('SB_ERR_CONFLICT', `The conversation is ${state.status === 'bot' ? 'with the bot' : state.status}: only a conversation waiting for or held by a person can be worked here`);
  return [...statusChange(state.status, 'assign', 'assigned', at), { at, type: 'assignee_changed', agentId }];
}

/**
 * An agent's message to the customer: the `said` event stored at `seq` and its delivery on the
 * customer's channel. `delivered` is what the customer receives when it differs from what the
 * log keeps (a one-time code is kept masked: agents read the log).
 */
export function agentMessage(
  conversationId: string,
  replyTo: ReplyIdentity,
  agentId: string,
  seq: number,
  at: string,
  text: string,
  delivered: string = text,
): { event: ConversationEvent; effect: ConversationEffect } {
  return {
    event: { at, type: 'said', author: 'agent', authorId: agentId, message: { kind: 'text', text } },
    effect: {
      kind: 'deliver',
      delivery: { address: { conversationId, channel: replyTo.channel, senderId: replyTo.senderId }, seq, author: 'agent', message: { kind: 'text', text: delivered } },
    },
  };
}
