import type { FlowContext } from '../flow.js';

/**
 * "actually the other one, 100235", "sorry, 100243", "no wait, it's jane@example.com": the
 * customer replaces something they just gave. The active flow re-runs its step with the new
 * value, which is not a failed answer and not a new topic.
 */
const CUE = /^\s*(?:sorry|oops|whoops|actually|wait|no wait|correction|my bad|i meant|i mean|typo|wrong (?:one|number|order|email)|not that one|no,? (?:it'?s|its|i meant|the other one|sorry))\b/i;
const CORRECTABLE = new Set(['order_number', 'email', 'phone', 'product']);

/** "wait, first, where is 100234?": a new question that happens to start with a cue, not a correction. */
const NEW_QUESTION = /\b(?:where|when|how|why|what(?:'s| is)? the status)\b[^?]*\?\s*$/i;

export function isCorrection(ctx: FlowContext): boolean {
  if (NEW_QUESTION.test(ctx.message.text)) return false;
  return CUE.test(ctx.message.text) && ctx.nlu.entities.some((e) => CORRECTABLE.has(e.type));
}
