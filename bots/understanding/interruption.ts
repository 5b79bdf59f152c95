import type { IntentAction } from '../../core/nlu.js';
import { payloadValue, type FlowContext } from '../flow.js';
import { INTERRUPT_CONFIDENCE, NEVER_INTERRUPTS, REFUSED } from './confidence.js';

/** How sure it must be to interrupt for an intent only people handle ("the thermostat one" read 0.39 as a safety hazard). */
const HUMAN_ONLY_CONFIDENCE = 0.5;
/** How sure the NLU must be, summed over the top two intents of one flow, to start that flow. */
const SIBLINGS_CONFIDENCE = 0.45;

/** Whether the intent read in the message sets the running flow aside (a digression) rather than answering it. */
export function interrupts(ctx: FlowContext, intent: string | null, activeFlow: string, actions: ReadonlyMap<string, IntentAction>): boolean {
  if (intent === null || NEVER_INTERRUPTS.has(intent)) return false;
  if (payloadValue(ctx, 'intent') !== null) return true;
  if (ctx.nlu.outOfScope !== null) return false;
  const action = actions.get(intent);
  if (action?.flow === activeFlow) return false;
  // A person is worth interrupting for on less certainty, but never on a guess.
  return ctx.nlu.confidence >= (action?.humanOnly === true ? HUMAN_ONLY_CONFIDENCE : INTERRUPT_CONFIDENCE);
}

/**
 * One task split into sibling intents spreads the NLU's certainty between them ("the thermo
 * won't turn on the heat": 0.24 pairing, 0.23 offline, both troubleshooting). When the top two
 * are the same flow's and together sure enough, that flow is meant, not guessed: it narrows down
 * the rest itself (the device, the symptom). The scores are read, never changed. An intent
 * only interrupts a running flow on its own certainty (`interrupts` sees the low confidence).
 */
export function siblingsLead(ctx: FlowContext, actions: ReadonlyMap<string, IntentAction>): string | null {
  if (ctx.message.payload !== undefined || (ctx.nlu.outOfScope !== null && REFUSED.has(ctx.nlu.outOfScope.reason))) return null;
  const [first, second] = ctx.nlu.ranking;
  if (first === undefined || second === undefined || first.confidence + second.confidence < SIBLINGS_CONFIDENCE) return null;
  const flow = actions.get(first.intent)?.flow;
  // The knowledge base already answers an unsure question (answerUnhandled); a person is never a guess.
  if (flow === undefined || flow === 'knowledge' || flow === 'handoff' || actions.get(first.intent)?.humanOnly === true) return null;
  return actions.get(second.intent)?.flow === flow ? first.intent : null;
}
