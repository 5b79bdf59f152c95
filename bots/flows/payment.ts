import type { PaymentStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';
import { PAYMENT_COPY_EN as COPY } from '../copy/payment.js';
import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { z } from 'zod';
import { flowState } from '../flow-state.js';
import { GATE_FIELDS, type IdentityGate } from '../identity-gate.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { openCaseOnce } from './open-case.js';
import { askWhichOrder, chosenIntent, formatMoney, TALK_TO_PERSON } from './order-picker.js';

export interface PaymentDeps extends ArticleCitationDeps {
  gate: IdentityGate;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

type PaymentIssue = 'declined' | 'double_charge';
const ISSUE_SLOT = 'payment_issue';
const PaymentState = flowState({ ...GATE_FIELDS, [ISSUE_SLOT]: z.enum(['declined', 'double_charge']) });
const HOLD_STEP = 'explained_hold';
/** Payment statuses under which money was captured, so a second capture is possible. */
const CAPTURED: ReadonlySet<PaymentStatus> = new Set(['paid', 'partially_refunded']);

/**
 * Payment problems. A declined card needs no personal data: guidance and the article. A double
 * charge is about one of the customer's orders: verify, look at the payment, and either explain
 * an authorisation hold or open a refund-request case for the payments team.
 */
export class PaymentFlow implements Flow {
  readonly name = 'payment';
  readonly state = PaymentState;

  constructor(private readonly deps: PaymentDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const issue = this.issue(ctx, starting);
    if (starting) reply.start();
    reply.set(ISSUE_SLOT, issue);
    if (issue === 'declined') return this.declined(reply).decision();

    const step = starting ? null : ctx.state.step;
    const requested = step === HOLD_STEP ? null : this.deps.gate.requestedOrder(ctx);
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose: COPY.gatePurpose });
    if (gate.status === 'pending') return reply.decision();
    if (step === HOLD_STEP) {
      await this.afterHold(ctx, reply, gate.customer);
      return reply.decision();
    }
    const orderNumber = requested ?? gate.claimedOrder;
    const order = orderNumber === null ? null : await gate.customer.order(orderNumber);
    if (order === null) {
      if (orderNumber !== null) reply.say(COPY.orderNotFound(orderNumber));
      await askWhichOrder(gate.customer, reply, COPY.whichOrder, ctx.message.timeZone ?? this.deps.shopTimeZone);
      return reply.decision();
    }
    await this.doubleCharge(ctx, reply, gate.customer, order);
    return reply.decision();
  }

  private issue(ctx: FlowContext, starting: boolean): PaymentIssue {
    const remembered = PaymentState.get(ctx.state, ISSUE_SLOT);
    if (!starting && remembered !== null) return remembered;
    return chosenIntent(ctx) === 'payment_declined' ? 'declined' : 'double_charge';
  }

  private declined(reply: Reply): Reply {
    reply.say(COPY.declinedAdvice);
    const cited = citeArticle(this.deps, 'card-declined', 'card declined billing address 3-D Secure try another method');
    if (cited !== null) reply.send(cited);
    return reply
      .choose(COPY.didThatHelp, [COPY.yesThanks, TALK_TO_PERSON])
      .expect(null)
      .end('resolved');
  }

  private async doubleCharge(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, order: OrderDetails): Promise<void> {
    reply.set('order_number', order.number);
    const total = formatMoney(order.totalCents, order.currency);
    if (CAPTURED.has(order.paymentStatus)) {
      await this.openCase(ctx, reply, customer, order);
      return;
    }
    if (order.paymentStatus === 'refunded') {
      reply
        .choose(COPY.alreadyRefunded(order.number, total), [TALK_TO_PERSON, COPY.thatsAll])
        .expect(null)
        .end('resolved');
      return;
    }
    // pending (not captured yet) or failed: what the customer sees is an authorisation hold.
    reply
      .choose(COPY.authorisationHold(order.number, order.paymentStatus === 'failed', total), [COPY.seeTwoPosted, COPY.willWait])
      .expect(null)
      .step(HOLD_STEP);
    const cited = citeArticle(this.deps, 'charged-twice-or-pending-charge', 'pending authorization hold drops off');
    if (cited !== null) reply.send(cited);
  }

  private async afterHold(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = PaymentState.get(ctx.state, 'order_number');
    const posted = payloadValue(ctx, 'payment') === 'posted' || /\bposted\b|\bnot pending\b|\btwo charges\b/i.test(ctx.message.text);
    const order = orderNumber === null ? null : await customer.order(orderNumber);
    if (!posted || order === null) {
      reply.say(COPY.holdComeBack).expect(null).end('resolved');
      return;
    }
    await this.openCase(ctx, reply, customer, order);
  }

  private async openCase(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, order: OrderDetails): Promise<void> {
    const claimed = firstEntity(ctx, 'money');
    const amount = formatMoney(order.totalCents, order.currency);
    const { row, existing } = await openCaseOnce(customer, {
      conversationId: ctx.conversationId,
      kind: 'refund_request',
      orderNumber: order.number,
      summary: `Possible duplicate charge on order ${order.number} (${amount})`,
      details: {
        amountCents: order.totalCents,
        currency: order.currency,
        paymentStatus: order.paymentStatus,
        reason: 'duplicate_charge',
        ...(claimed !== null ? { customerStatedAmount: claimed } : {}),
      },
    });
    reply
      .say(COPY.refundRequest(order.number, amount, row.id, existing))
      .choose(COPY.anythingElse, [COPY.thatsAll, TALK_TO_PERSON])
      .expect(null)
      .end('resolved');
  }
}
