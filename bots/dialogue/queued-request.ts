import type { ConversationEvent } from '../../core/conversation.js';
import type { DialogueCopy } from '../copy/dialogue.js';
import type { FlowContext, TurnDecision } from '../flow.js';
import { flowState, Text } from '../flow-state.js';
import { foldEvents } from '../state.js';
import type { DialogueDeps } from './deps.js';

/** Slot of a frame queued from a message's second request: that request's words, run when it is taken up. */
export const QUEUED_TEXT = 'queued_request';
/** A queued request's frame holds only the customer's words, taken up when its turn comes. */
export const QueuedRequest = flowState({ [QUEUED_TEXT]: Text });
/** Written by the engine itself, in the frame of the flow they are about. */
export const ENGINE_SLOTS = new Set(Object.keys(QueuedRequest.shape));

/**
 * The second task of the message waits under the first as a frame holding only its words;
 * when nothing else runs it is started at once, otherwise offered when the first ends.
 */
export async function queueBehind(
  parts: { deps: DialogueDeps; copy: DialogueCopy },
  primary: FlowContext,
  queued: { flow: string; text: string },
  decision: TurnDecision,
): Promise<void> {
  const at = primary.now.toISOString();
  const after = foldEvents(decision.events, primary.state);
  if (after.activeFlow === null) {
    decision.replies.push(...(await takeUp(parts.deps, primary, queued.flow, queued.text, decision.events)));
    return;
  }
  const running = after.activeFlow;
  decision.events.push(
    { at, type: 'flow_suspended', flow: running },
    { at, type: 'flow_started', flow: queued.flow },
    { at, type: 'slot_set', name: QUEUED_TEXT, value: queued.text },
    { at, type: 'flow_suspended', flow: queued.flow },
    { at, type: 'flow_resumed', flow: running },
  );
  decision.replies.unshift({ kind: 'text', text: parts.copy.queuedNote(parts.copy.flowLabel(queued.flow)) });
}

/** Starts the flow of a queued request with its own words, as if just typed; its events join `events`. */
export async function takeUp(deps: DialogueDeps, ctx: FlowContext, flowName: string, text: string, events: ConversationEvent[]): Promise<TurnDecision['replies']> {
  const flow = deps.flows.get(flowName);
  const { classify } = deps;
  if (flow === undefined || classify === undefined) return [];
  const state = foldEvents(events, ctx.state);
  const nlu = await classify(text, ctx);
  const started = await flow.handle({ ...ctx, state, message: { ...ctx.message, text, payload: undefined }, nlu }, true);
  events.push(...started.events);
  return started.replies;
}
