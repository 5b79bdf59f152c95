import type { HandoffTrigger } from '../../handoff/policy.js';
import type { HandoffCopy } from '../copy/handoff.js';
import { Reply, type FlowContext, type TurnDecision } from '../flow.js';
import { REFUSED } from '../understanding/confidence.js';
import type { DialogueDeps } from './deps.js';

/** The triggers the dialogue acts on itself; asking for a person and human-only intents have their flow. */
const UNASKED = new Set<HandoffTrigger['reason']>(['frustration', 'vip_customer', 'misunderstood_twice']);

/**
 * The policy's unasked-for handoffs this message meets: frustration, a VIP the bot did not
 * understand, or anyone it misunderstood too often in a row. A message refused as gibberish or another domain's is not a
 * misunderstanding. Asking for a person and human-only intents are handled by their flow.
 */
export function unaskedTrigger(deps: DialogueDeps, ctx: FlowContext): HandoffTrigger | null {
  const refused = ctx.nlu.outOfScope !== null && REFUSED.has(ctx.nlu.outOfScope.reason);
  const trigger = deps.handoffTrigger?.({
    intent: ctx.nlu.intent,
    sentiment: ctx.nlu.sentiment,
    humanOnly: false,
    misunderstandings: refused ? 0 : ctx.state.misunderstandings,
    vip: ctx.vip === true,
  });
  return trigger !== null && trigger !== undefined && UNASKED.has(trigger.reason) ? trigger : null;
}

/** The bot can't help and says so honestly: a person takes over with the whole conversation. */
export function handOff(handoffCopy: HandoffCopy, ctx: FlowContext, trigger: HandoffTrigger): TurnDecision {
  const text = trigger.reason === 'frustration' ? handoffCopy.upset : trigger.reason === 'vip_customer' ? handoffCopy.vipNotUnderstood : handoffCopy.notUnderstood;
  return new Reply(ctx, 'handoff').start().say(text).expect(null).end('handed_off').handoff(trigger.reason, trigger.detail).decision();
}
