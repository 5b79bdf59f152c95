import type { OrderDetails } from '../../db/orders.js';
import type { ReturnableLine } from '../../db/returns.js';
import { RETURNS_COPY_EN as COPY } from '../copy/returns.js';
import { payloadValue, type FlowContext } from '../flow.js';
import { ALTERNATIVE_OPTIONS, RETURN_SLOTS as S, RETURN_STEPS as STEP } from './answers.js';
import { recordReturnDecision } from './decision-record.js';
import type { ReturnTurn } from './pick.js';
import type { ReturnDecision } from './policy.js';

/** The answer to "Would you like me to open a warranty claim?": "yes" or "ok open a claim then"; "no thanks". */
export function warrantyOfferAnswer(ctx: FlowContext): 'accept' | 'decline' | null {
  if (ctx.state.step !== STEP.alternative || ctx.message.payload !== undefined) return null;
  if (ctx.nlu.intent === 'deny' || /\b(no|nope|don'?t|not now)\b/i.test(ctx.message.text)) return 'decline';
  if (ctx.nlu.intent === 'affirm' || /\b(warranty|claim|repair|replace(ment)?|fix it)\b/i.test(ctx.message.text)) return 'accept';
  return null;
}

/** Says why not, and offers what can be done instead: a warranty claim opens a case right here. */
export async function offerAlternatives(
  turn: ReturnTurn,
  order: OrderDetails,
  line: ReturnableLine,
  decision: Extract<ReturnDecision, { eligible: false }>,
): Promise<void> {
  const { ctx, reply } = turn;
  recordReturnDecision(turn.slots, order.number, line, decision);
  const offersWarranty = decision.alternatives.includes('warranty_claim');
  const accepted = payloadValue(ctx, 'return-alt') === 'warranty' || warrantyOfferAnswer(ctx) === 'accept';
  if (offersWarranty && accepted) {
    const opened = await turn.customer.openCase({
      conversationId: ctx.conversationId,
      kind: 'warranty',
      summary: `Warranty claim: ${line.name} from order ${order.number} (${decision.reason})`,
      details: { orderNumber: order.number, line: line.line, sku: line.sku, condition: turn.slots.get(S.condition) },
    });
    reply.say(COPY.warrantyOpened(opened.id, line.name));
    turn.outcome = 'resolved';
    return;
  }
  if (offersWarranty && ctx.state.step !== STEP.alternative) {
    reply.say(decision.explanation).choose(COPY.offerWarranty, decision.alternatives.map((a) => ALTERNATIVE_OPTIONS[a])).step(STEP.alternative);
    return;
  }
  if (ctx.state.step !== STEP.alternative) reply.say(decision.explanation);
  reply.choose(COPY.anythingElse, [...decision.alternatives.map((a) => ALTERNATIVE_OPTIONS[a]), COPY.returnAnotherItem]);
  turn.outcome = 'resolved';
}
