import type { PaymentStatus } from '../../core/order-status.js';
import { isChangeable, type OrderChangeResult } from '../../db/order-changes.js';
import type { OrderDetails } from '../../db/orders.js';
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
      const packed = order.status === 'packed' ? ` It's packed and waiting for the carrier, so if you cancel now it won't be sent.` : '';
      reply
        .set('order_number', order.number)
        .choose(
          `Order ${order.number} (${itemsOf(order)}, ${formatMoney(order.totalCents, order.currency)}) hasn't shipped yet, so I can cancel it.${packed} Shall I cancel the whole order?`,
          YES_NO('Yes, cancel it', 'No, keep it'),
        )
        .expect(null)
        .step(CONFIRM_CANCEL_STEP);
      return;
    }
    this.explainWhyNot(reply, order.number, order, timeZone);
  }

  async confirm(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = ctx.state.slots.order_number;
    const answer = yesOrNo(ctx);
    if (orderNumber === undefined) {
      reply.say(`Sorry, I lost track of which order you meant. Please tell me the order number again.`).expect('order_number').step('choosing_order');
      return;
    }
    if (answer === null) {
      reply.choose(`Just to be sure: shall I cancel order ${orderNumber}?`, YES_NO('Yes, cancel it', 'No, keep it'));
      return;
    }
    if (!answer) {
      reply.say(`No problem, order ${orderNumber} stays as it is.`).expect(null).end('resolved');
      return;
    }
    const result = await customer.cancelOrder(orderNumber, ctx.now);
    await this.report(reply, customer, orderNumber, result, ctx.message.timeZone ?? this.deps.shopTimeZone);
  }

  private async report(reply: Reply, customer: VerifiedCustomer, orderNumber: string, result: OrderChangeResult, timeZone: string): Promise<void> {
    switch (result.outcome) {
      case 'changed': {
        const money = refundNote(result.paymentStatus, formatMoney(result.totalCents, result.currency));
        reply.say(`Done: order ${orderNumber} is cancelled and won't be shipped. ${money} You'll get a confirmation email too.`).expect(null).end('resolved');
        const profile = await customer.profile();
        if (profile !== null) {
          reply.notify({
            transport: 'email',
            to: profile.email,
            subject: `Your ${this.deps.shopName} order ${orderNumber} is cancelled`,
            body: `Hi ${profile.name.split(' ')[0] ?? ''}, as you asked in chat, we cancelled order ${orderNumber}. ${money}`,
          });
        }
        return;
      }
      case 'not_changeable': {
        // It moved on between the offer and the "yes": the warehouse won.
        const order = await customer.order(orderNumber);
        reply.say(`I'm sorry, order ${orderNumber} changed while we were talking.`);
        this.explainWhyNot(reply, orderNumber, order, timeZone);
        return;
      }
      case 'not_found':
        reply.say(`I couldn't find order ${orderNumber} on your account.`).expect(null).end('failed');
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
      reply.say(`Order ${orderNumber} is already cancelled. Any payment goes back to your original payment method within 5–10 business days.`).expect(null).end('resolved');
      return;
    }
    if (status === 'returned') {
      reply.say(`Order ${orderNumber} was already returned, so there's nothing left to cancel.`).expect(null).end('resolved');
      return;
    }
    const when = shipment?.shipped_at ? ` on ${formatDay(shipment.shipped_at, timeZone)}` : '';
    const how = shipment ? ` with ${shipment.carrier}` : '';
    const text =
      status === 'delivered'
        ? `Order ${orderNumber} was already delivered, so it can't be cancelled. You can return it instead: unopened items in their original packaging go back free of charge within the return window.`
        : `Order ${orderNumber} already shipped${when}${how} (${STATUS_LABEL[status]}), so it can't be cancelled anymore. ` +
          `You can refuse the delivery and we refund you once it's back with us, or accept it and start a return: unopened items in their original packaging go back free of charge within the return window.`;
    reply.choose(text, [{ label: 'Start a return', value: 'intent:return_request' }, TALK_TO_PERSON]);
    const cited = citeArticle(this.deps, 'cancel-an-order', 'already shipped cancel refuse delivery return');
    if (cited !== null) reply.send(cited);
    reply.expect(null).end('resolved');
  }
}

function itemsOf(order: OrderDetails): string {
  return order.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ');
}

/** What happens to the money, from the payment status the cancellation left behind. */
export function refundNote(paymentStatus: PaymentStatus, amount: string): string {
  switch (paymentStatus) {
    case 'refunded':
      return `We've refunded ${amount} to your original payment method; banks take 5–10 business days to show it.`;
    case 'failed':
      return `You haven't been charged: we voided the payment authorisation. A pending amount may show on your statement for 3–7 business days before it disappears.`;
    case 'pending':
    case 'paid':
    case 'partially_refunded':
      return `Any payment goes back to your original payment method within 5–10 business days.`;
    default: {
      const unknown: never = paymentStatus;
      throw new Error(`unexpected payment status ${String(unknown)}`);
    }
  }
}
