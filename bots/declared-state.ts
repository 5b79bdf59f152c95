import type { ConversationEvent } from '../core/conversation.js';
import type { Flow } from './flow.js';
import { applyEvent, EXPECTING_SLOT, type ConversationState } from './state.js';

/**
 * Checks that a turn wrote only state its flows declared: each `slot_set` must name a field of
 * the state of the flow whose frame is active at that point (or one of the engine's own, such
 * as what the bot expects next). A value under any other name could never be read back through
 * the flow's schema, so it is a bug, and the turn fails loudly instead of keeping it. The
 * dialogue manager checks every turn, so every conversation test and the bench check it too.
 */
export function assertDeclaredState(
  events: readonly ConversationEvent[],
  before: ConversationState,
  flows: ReadonlyMap<string, Pick<Flow, 'state'>>,
  engineSlots: ReadonlySet<string>,
): void {
  let state = before;
  for (const event of events) {
    state = applyEvent(state, event);
    if (event.type !== 'slot_set' || event.name === EXPECTING_SLOT || engineSlots.has(event.name)) continue;
    const flow = state.activeFlow === null ? undefined : flows.get(state.activeFlow);
    if (flow === undefined || !Object.hasOwn(flow.state.shape, event.name)) {
      throw new Error(`"${event.name}" was written in ${state.activeFlow ?? 'no flow'}, whose state does not declare it`);
    }
  }
}
