import type { PaymentStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';
import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
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
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose: 'look into the charges on your order' });
    if (gate.status === 'pending') return reply.decision();
    if (step === HOLD_STEP) {
      await this.afterHold(ctx, reply, gate.customer);
      return reply.decision();
    }
    const orderNumber = requested ?? (gate.justVerified ? (ctx.state.slots.order_number ?? null) : null);
    const order = orderNumber === null ? null : await gate.customer.order(orderNumber);
    if (order === null) {
      if (orderNumber !== null) reply.say(`I couldn't find order ${orderNumber} on your account.`);
      await askWhichOrder(gate.customer, reply, 'Which order were you charged twice for?', ctx.message.timeZone ?? this.deps.shopTimeZone);
      return reply.decision();
    }
    await this.doubleCharge(ctx, reply, gate.customer, order);
    return reply.decision();
  }

  private issue(ctx: FlowContext, starting: boolean): PaymentIssue {
    const remembered = ctx.state.slots[ISSUE_SLOT];
    if (!starting && (remembered === 'declined' || remembered === 'double_charge')) return remembered;
    return chosenIntent(ctx) === 'payment_declined' ? 'declined' : 'double_charge';
  }

  private declined(reply: Reply): Reply {
    reply.say(
      `A declined payment is almost always decided by your bank, and no money is taken. The usual causes: ` +
        `the billing address doesn't match the one your bank has (including the ZIP code), a mistyped card number, expiry or CVV, ` +
        `a bank fraud check on a large purchase (approve it in your banking app), a 3-D Secure window that was closed or hidden by a pop-up blocker, ` +
        `or a spending limit. Wait 10 minutes before retrying, since several failures in a row can make your bank block the card for the day, ` +
        `or pay another way: PayPal, Apple Pay, Google Pay or another card.`,
    );
    const cited = citeArticle(this.deps, 'card-declined', 'card declined billing address 3-D Secure try another method');
    if (cited !== null) reply.send(cited);
    return reply
      .choose('Did that help?', [{ label: 'Yes, thanks', value: 'intent:thanks' }, TALK_TO_PERSON])
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
        .choose(
          `Order ${order.number} was already refunded in full (${total}). Refunds to cards take 3–5 business days to show; after that, your bank's statement shows a credit.`,
          [TALK_TO_PERSON, { label: "That's all, thanks", value: 'intent:thanks' }],
        )
        .expect(null)
        .end('resolved');
      return;
    }
    // pending (not captured yet) or failed: what the customer sees is an authorisation hold.
    reply
      .choose(
        `We haven't taken any money for order ${order.number} yet: ${order.paymentStatus === 'failed' ? 'the payment did not go through' : 'we only capture the payment when it ships'}. ` +
          `What you see is a pending authorisation hold of ${total}. A hold that isn't captured usually drops off by itself within 3–7 business days (up to 10 for some debit cards); only your bank can release it sooner. ` +
          `If you see two *posted* charges (not pending), I'll open a refund request.`,
        [
          { label: 'I see two posted charges', value: 'payment:posted' },
          { label: "OK, I'll wait", value: 'payment:wait' },
        ],
      )
      .expect(null)
      .step(HOLD_STEP);
    const cited = citeArticle(this.deps, 'charged-twice-or-pending-charge', 'pending authorization hold drops off');
    if (cited !== null) reply.send(cited);
  }

  private async afterHold(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = ctx.state.slots.order_number;
    const posted = payloadValue(ctx, 'payment') === 'posted' || /\bposted\b|\bnot pending\b|\btwo charges\b/i.test(ctx.message.text);
    const order = orderNumber === undefined ? null : await customer.order(orderNumber);
    if (!posted || order === null) {
      reply.say(`OK. If the hold is still there after 5 business days, come back and I'll open a refund request.`).expect(null).end('resolved');
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
      .say(
        `${existing ? `There's already an open refund request for order ${order.number}: ` : `I've opened a refund request for order ${order.number} (${amount}): `}` +
          `case ${row.id}. Our payments team checks it with our payment processor within 1 business day. If a duplicate is confirmed, we refund it straight away; ` +
          `card refunds take 3–5 business days to show, and you'll get an email with the refund reference. ` +
          `Note that a pending authorisation hold isn't a charge: it usually drops off within 3–7 business days without anything from you.`,
      )
      .choose('Anything else?', [{ label: "That's all, thanks", value: 'intent:thanks' }, TALK_TO_PERSON])
      .expect(null)
      .end('resolved');
  }
}
