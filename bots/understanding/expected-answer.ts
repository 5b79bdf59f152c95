import { payloadValue, type FlowContext } from '../flow.js';
import { GATE_STEPS, typedCode } from '../identity-gate.js';

/** Any of these answers "what's your order number (or email/phone)?". */
const IDENTITY_CLAIMS = new Set<string | null>(['order_number', 'email', 'phone']);
const ABOUT_THE_CODE = /\b(?:resend|code|didn'?t (?:get|receive)|send (?:it )?again)\b/i;

/** The flow asked for an order number, email, phone or code, and the message carries it. */
export function answersExpectation(ctx: FlowContext): boolean {
  if (ctx.message.payload !== undefined && payloadValue(ctx, 'intent') === null) return true;
  const expected = ctx.state.expecting;
  const answers = expected === 'order_number' ? IDENTITY_CLAIMS : new Set([expected]);
  if (expected !== null && ctx.nlu.entities.some((e) => answers.has(e.type))) return true;
  if (ctx.state.step !== GATE_STEPS.awaitingCode) return false;
  return typedCode(ctx.message.text) !== null || ABOUT_THE_CODE.test(ctx.message.text);
}
