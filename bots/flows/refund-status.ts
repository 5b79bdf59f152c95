import type { ReturnRecord } from '../../db/returns.js';
import { REFUND_COPY_EN as COPY } from '../copy/returns.js';
import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { flowState } from '../flow-state.js';
import { GATE_FIELDS, type IdentityGate } from '../identity-gate.js';
import { ALTERNATIVE_OPTIONS } from '../returns/answers.js';
import { describeOrderRefund } from '../returns/order-refund-answer.js';
import { describeRefundStatus } from '../returns/refund-answer.js';
import { customerClock } from './order-format.js';
import { RETURN_STATUS_LABEL } from '../returns/status.js';
import type { VerifiedCustomer } from '../verified-customer.js';

export interface RefundStatusDeps {
  gate: IdentityGate;
  articleUrl(articleId: string): string;
  /** Dates are shown on the shop's calendar (SHOP_TIME_ZONE) unless the customer's is known. */
  shopTimeZone: string;
}

const CHOOSING = 'refund:choosing_return';

/**
 * "Where is my refund?": verified customer → their returns (a choice when there are several) →
 * an answer from the return's status, with refund timelines by payment method.
 */
export class RefundStatusFlow implements Flow {
  readonly name = 'refund_status';
  /** Only the gate's fields: the order asked about. */
  readonly state = flowState(GATE_FIELDS);

  constructor(private readonly deps: RefundStatusDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start();
    const requested = this.deps.gate.requestedOrder(ctx);
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose: COPY.verifyPurpose });
    if (gate.status === 'pending') return reply.decision();
    const orderNumber = requested ?? gate.claimedOrder;
    const all = await gate.customer.returns();
    const forOrder = orderNumber === null ? all : all.filter((r) => r.orderNumber === orderNumber);
    const picked = payloadValue(ctx, 'refund-rma');
    const chosen = all.find((r) => r.rma === picked) ?? (forOrder.length === 1 ? forOrder[0] : undefined);

    if (chosen !== undefined) {
      await this.answer(reply, gate.customer, chosen);
      reply.expect(null).end('resolved');
    } else if (forOrder.length === 0 && (await this.answerFromOrders(ctx, reply, gate.customer, orderNumber, all.length === 0))) {
      reply.expect(null).end('resolved');
    } else if (forOrder.length === 0) {
      const none = orderNumber !== null && all.length > 0 ? COPY.noReturnForOrder(orderNumber) : COPY.noReturns;
      reply
        .choose(COPY.offerToStartReturn(none), [COPY.startReturn, ALTERNATIVE_OPTIONS.talk_to_person])
        .expect(null)
        .end('resolved');
    } else {
      reply
        .choose(
          COPY.whichReturn,
          forOrder.map((r) => ({ label: COPY.returnOption(r.rma, r.orderNumber, RETURN_STATUS_LABEL[r.status]), value: `refund-rma:${r.rma}` })),
        )
        .expect(null)
        .step(CHOOSING);
    }
    return reply.decision();
  }

  /**
   * No return on file: a cancelled order's refund, or a return made another way (by post, in a
   * store), read from the order itself — the named one, or the customer's only such recent order.
   */
  private async answerFromOrders(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, orderNumber: string | null, noReturns: boolean): Promise<boolean> {
    let number = orderNumber;
    if (number === null) {
      if (!noReturns) return false;
      const candidates = (await customer.orders()).filter((o) => o.status === 'cancelled' || o.status === 'returned');
      if (candidates.length !== 1) return false;
      number = candidates[0]!.number;
    }
    const order = await customer.order(number);
    const answer = order === null ? null : describeOrderRefund(order, customerClock(ctx, this.deps.shopTimeZone).timeZone, this.deps.articleUrl('refund-timelines'));
    if (answer === null) return false;
    for (const message of answer) reply.send(message);
    return true;
  }

  private async answer(reply: Reply, customer: VerifiedCustomer, record: ReturnRecord): Promise<void> {
    const [lines, order] = await Promise.all([customer.orderLines(record.orderNumber), customer.order(record.orderNumber)]);
    const names = record.items.map((item) => lines.find((l) => l.line === item.line)?.name ?? item.sku);
    for (const message of describeRefundStatus(record, names.join(', '), order?.currency ?? 'USD', this.deps.articleUrl('refund-timelines'))) reply.send(message);
  }
}
