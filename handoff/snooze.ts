import type { ConversationWrites } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import type { ActionGuard, AgentActionResult } from './agent-actions.js';

/** How far ahead a conversation may be set aside: further than this is a follow-up, not a snooze. */
export const MAX_SNOOZE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Sets a queued or assigned conversation aside until `until`: a `snoozed` event, written on the
 * conversation's one write path (so it is serialised with the customer's turns and announced on
 * the live feed). The conversation keeps its status and holder; only the active queue hides it,
 * until the time passes or the customer writes again (read at query time by db/agent-queue.ts,
 * so no timer has to survive a restart).
 */
export async function snoozeConversation(
  writes: ConversationWrites,
  conversationId: string,
  agentId: string,
  until: Date,
  options: { guard?: ActionGuard; now?: () => Date } = {},
): Promise<AgentActionResult> {
  const now = options.now?.() ?? new Date();
  if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime()) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'The snooze must end in the future', [{ path: 'body.until', message: 'must be later than now' }]);
  }
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MS) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'A snooze lasts at most 30 days', [{ path: 'body.until', message: 'must be at most 30 days ahead' }]);
  }
  return writes.withConversation(conversationId, async ({ state }) => {
    options.guard?.(state);
    if (state.status !== 'queued' && state.status !== 'assigned') {
      throw new SwitchboardError('SB_ERR_CONFLICT', `A conversation that is ${state.status} cannot be snoozed`);
    }
    const at = now.toISOString();
    const result: AgentActionResult = { conversationId, seqs: [state.version], status: state.status, assigneeId: state.assigneeId };
    return { events: [{ at, type: 'snoozed', agentId, until: until.toISOString() }], effects: [], result };
  });
}
