import type { DialogueDeps } from '../dialogue/deps.js';
import type { Flow, FlowContext } from '../flow.js';
import { NEVER_INTERRUPTS } from './confidence.js';
import { asksAboutOtherOrder } from './other-order.js';

/** "ok back to my return", "let's continue with that": the customer takes up what was set aside, typed rather than pressed. */
const RESUME_TYPED = /\b(?:back to (?:my|the|our)|continue (?:with )?(?:my|the)|carry on with|go on with|get back to|resume|finish (?:my|the))\b/i;

/** Read-only tasks an order number alone asks again about, right after one ended ("and 100235?"). */
const FOLLOWS_UP = new Set(['order_status', 'refund_status']);

/**
 * "ok back to my return" while that return waits set aside: the same task, taken up where it
 * stopped rather than started again. A message naming an order is a new request of that kind.
 */
export function waitingFor(ctx: FlowContext, intent: string | null, deps: Pick<DialogueDeps, 'actions'>): string | undefined {
  const last = ctx.state.suspended.at(-1);
  if (last !== undefined && RESUME_TYPED.test(ctx.message.text) && ctx.message.text.trim().split(/\s+/).length <= 8) return last.flow;
  const flow = intent === null ? undefined : deps.actions.get(intent)?.flow;
  if (flow === undefined || !ctx.state.suspended.some((f) => f.flow === flow)) return undefined;
  return ctx.nlu.entities.some((e) => e.type === 'order_number') ? undefined : flow;
}

/**
 * "ok and 100235?" right after an order's status or refund: the same question about another
 * order; "and the other one I ordered, the thermostat?" too, whatever a product word made the
 * NLU think. Only a read-only task is taken up again this way; nothing is changed on a guess.
 */
export function followUp(ctx: FlowContext, intent: string | null, deps: Pick<DialogueDeps, 'flows'>): Flow | undefined {
  const last = ctx.state.attempts.at(-1);
  if (last === undefined || last.outcome !== 'resolved' || !FOLLOWS_UP.has(last.flow)) return undefined;
  const namesOrder = (intent === null || NEVER_INTERRUPTS.has(intent)) && ctx.nlu.entities.some((e) => e.type === 'order_number');
  if (!namesOrder && !asksAboutOtherOrder(ctx.message.text)) return undefined;
  return deps.flows.get(last.flow);
}
