import type { PaymentStatus } from '../../core/order-status.js';
import { OrderChangeState } from './order-change-state.js';
import { isChangeable, type OrderChangeResult } from '../../db/order-changes.js';
import type { OrderDetails } from '../../db/orders.js';
import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
import type { FlowContext, Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { formatDay, STATUS_LABEL } from './order-format.js';
import { formatMoney, TALK_TO_PERSON, YES_NO, yesOrNo } from './order-picker.js';

export const CONFIRM_CANCEL_STEP = 'confirm_cancel';

export interface OrderCancellationDeps extends ArticleCitationDeps {
  shopName: string;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

/** Cancelling one of the verified customer's orders: offer, confirm, cancel, or explain why not. */
export class OrderCancellation {
  constructor(private readonly deps: OrderCancellationDeps) {}

  offer(reply: Reply, order: OrderDetails, timeZone: string): void {
    if (isChangeable(order.status)) {
      const packed = order.status === 'packed' ? COPY.packedNote : '';
      reply
        .set('order_number', order.number)
        .choose(
          COPY.offerCancel(order.number, itemsOf(order), formatMoney(order.totalCents, order.currency), packed),
          YES_NO(COPY.cancelYes, COPY.cancelNo),
        )
        .expect(null)
        .step(CONFIRM_CANCEL_STEP);
      return;
    }
    this.explainWhyNot(reply, order.number, order, timeZone);
  }

  async confirm(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = OrderChangeState.get(ctx.state, 'order_number');
    const answer = yesOrNo(ctx);
    if (orderNumber === null) {
      reply.say(COPY.lostTrack).expect('order_number').step('choosing_order');
      return;
    }
    if (answer === null) {
      reply.choose(COPY.confirmCancelAgain(orderNumber), YES_NO(COPY.cancelYes, COPY.cancelNo));
      return;
    }
    if (!answer) {
      reply.say(COPY.keptOrder(orderNumber)).expect(null).end('resolved');
      return;
    }
    const result = await customer.cancelOrder(orderNumber, ctx.now);
    await this.report(reply, customer, orderNumber, result, ctx.message.timeZone ?? this.deps.shopTimeZone);
  }

  private async report(reply: Reply, customer: VerifiedCustomer, orderNumber: string, result: OrderChangeResult, timeZone: string): Promise<void> {
    switch (result.outcome) {
      case 'changed': {
        const money = refundNote(result.paymentStatus, formatMoney(result.totalCents, result.currency));
        reply.say(COPY.cancelDone(orderNumber, money)).expect(null).end('resolved');
        const profile = await customer.profile();
        if (profile !== null) {
          reply.notify({
            transport: 'email',
            to: profile.email,
            subject: COPY.cancelEmailSubject(this.deps.shopName, orderNumber),
            body: COPY.cancelEmailBody(profile.name.split(' ')[0] ?? '', orderNumber, money),
          });
        }
        return;
      }
      case 'not_changeable': {
        // It moved on between the offer and the "yes": the warehouse won.
        const order = await customer.order(orderNumber);
        reply.say(COPY.changedMeanwhile(orderNumber));
        this.explainWhyNot(reply, orderNumber, order, timeZone);
        return;
      }
      case 'not_found':
        reply.say(COPY.orderNotFound(orderNumber)).expect(null).end('failed');
        return;
      default: {
        const unknown: never = result;
        throw new Error(`unexpected cancel result ${JSON.stringify(unknown)}`);
      }
    }
  }

  private explainWhyNot(reply: Reply, orderNumber: string, order: OrderDetails | null, timeZone: string): void {
    const status = order?.status ?? 'shipped';
    const shipment = order?.shipments.at(-1);
    if (status === 'cancelled') {
      reply.say(COPY.alreadyCancelled(orderNumber)).expect(null).end('resolved');
      return;
    }
    if (status === 'returned') {
      reply.say(COPY.alreadyReturned(orderNumber)).expect(null).end('resolved');
      return;
    }
    const when = shipment?.shipped_at ? COPY.onDay(formatDay(shipment.shipped_at, timeZone)) : '';
    const how = shipment ? COPY.withCarrier(shipment.carrier) : '';
    const text =
      status === 'delivered' ? COPY.deliveredCannotCancel(orderNumber) : COPY.shippedCannotCancel(orderNumber, when, how, STATUS_LABEL[status]);
    reply.choose(text, [COPY.startReturn, TALK_TO_PERSON]);
    const cited = citeArticle(this.deps, 'cancel-an-order', 'already shipped cancel refuse delivery return');
    if (cited !== null) reply.send(cited);
    reply.expect(null).end('resolved');
  }
}

function itemsOf(order: OrderDetails): string {
  return order.items.map((i) => COPY.itemLine(i.quantity, i.name)).join(', ');
}

/** What happens to the money, from the payment status the cancellation left behind. */
export function refundNote(paymentStatus: PaymentStatus, amount: string): string {
  switch (paymentStatus) {
    case 'refunded':
      return COPY.refunded(amount);
    case 'failed':
      return COPY.voided;
    case 'pending':
    case 'paid':
    case 'partially_refunded':
      return COPY.paymentGoesBack;
    default: {
      const unknown: never = paymentStatus;
      throw new Error(`unexpected payment status ${String(unknown)}`);
    }
  }
}
