import type { NluResult } from '../../core/nlu.js';
import type { Classify } from '../dialogue/deps.js';
import type { FlowContext } from '../flow.js';
import { closingRequest, withoutDetachedNumber } from './clauses.js';
import { INTERRUPT_CONFIDENCE, NEVER_INTERRUPTS, REFUSED } from './confidence.js';
import { afterGreeting } from './greeting-lead.js';

/**
 * A request the whole message hides. "tracking says delivered, nothing here. 100235": an order
 * number as a sentence of its own names the order and is left out of the reading (a new
 * message only: inside a flow it answers the flow). "Hello, my order 100300 was supposed to come today": the
 * greeting read as the whole message (or nothing confident) while a request follows it; the
 * words after the greeting are understood on their own. A long story that reads as nothing
 * confident: its closing request says what the customer wants. Otherwise the message stays as heard.
 */
export async function requestWithin(ctx: FlowContext, classify: Classify | undefined): Promise<FlowContext> {
  if (classify === undefined || ctx.message.payload !== undefined) return ctx;
  const confident = (nlu: NluResult): boolean => nlu.intent !== null && nlu.outOfScope === null && !NEVER_INTERRUPTS.has(nlu.intent);
  const words = ctx.state.activeFlow === null ? withoutDetachedNumber(ctx.message.text) : null;
  if (words !== null) {
    const nlu = await classify(words, ctx);
    // The number stays an entity of the message; it just doesn't vote on what the message asks.
    if (confident(nlu)) return { ...ctx, nlu: { ...nlu, entities: ctx.nlu.entities, sentiment: ctx.nlu.sentiment } };
  }
  const rest = ctx.nlu.intent === 'greeting' || ctx.nlu.outOfScope !== null ? afterGreeting(ctx.message.text) : null;
  if (rest !== null) {
    const nlu = await classify(rest, ctx);
    // The rest's own entities: their offsets are into the words the flow now reads.
    return confident(nlu) ? { ...ctx, message: { ...ctx.message, text: rest }, nlu } : ctx;
  }
  // Unsure of the whole story (a guess below what may interrupt a flow, or nothing), never one refused as another domain's or mash.
  const unsure = ctx.nlu.outOfScope === null ? ctx.nlu.confidence < INTERRUPT_CONFIDENCE : !REFUSED.has(ctx.nlu.outOfScope.reason);
  const closing = unsure ? closingRequest(ctx.message.text) : null;
  if (closing === null) return ctx;
  const nlu = await classify(closing, ctx);
  // The story keeps its words and entities ("the buds anc", "order 100235"); the request says what to do with them.
  return confident(nlu) ? { ...ctx, nlu: { ...nlu, entities: ctx.nlu.entities, sentiment: ctx.nlu.sentiment } } : ctx;
}
