import type { OutboundMessage } from '../../core/message.js';
import type { OrderDetails } from '../../db/orders.js';
import { formatDay } from '../flows/order-format.js';
import { formatMoney } from './money.js';
import { REFUND_TIMELINES } from './refund-answer.js';

/** Days we take to issue the refund of a cancelled order (refund-timelines.md). */
const CANCELLATION_REFUND_BUSINESS_DAYS = 2;

/**
 * The refund of an order that has no return on file: cancelled (in chat or not), or returned
 * another way (by post, in a store). Null when the order has no refund to speak of.
 */
export function describeOrderRefund(order: OrderDetails, timeZone: string, timelinesUrl: string): OutboundMessage[] | null {
  const amount = formatMoney(order.totalCents, order.currency);
  const when = (status: OrderDetails['status']) => {
    const at = order.timeline.findLast((t) => t.status === status)?.at;
    return at !== undefined ? ` on ${formatDay(at, timeZone)}` : '';
  };
  const card: OutboundMessage = { kind: 'card', title: 'How long refunds take', text: 'By payment method, after we issue the refund.', link: { title: 'Refund timelines', url: timelinesUrl } };
  const timelines = `How long until you see it depends on how you paid: ${REFUND_TIMELINES.map(([how, time]) => `${how}: ${time}`).join('; ')}.`;
  const refunded = order.paymentStatus === 'refunded' || order.paymentStatus === 'partially_refunded';
  const partly = order.paymentStatus === 'partially_refunded' ? 'part of the amount (the rest stays with the items you kept)' : amount;
  if (order.status === 'cancelled') {
    if (refunded) return [{ kind: 'text', text: `Order ${order.number} was cancelled${when('cancelled')} and we refunded ${partly} to your original payment method. ${timelines}` }, card];
    if (order.paymentStatus === 'paid') {
      return [{ kind: 'text', text: `Order ${order.number} was cancelled${when('cancelled')}. The refund of ${amount} is issued to your original payment method within ${CANCELLATION_REFUND_BUSINESS_DAYS} business days of the cancellation. ${timelines}` }, card];
    }
    return [{ kind: 'text', text: `Order ${order.number} was cancelled${when('cancelled')} before any payment was taken, so there is nothing to refund. A pending authorisation on your card drops off by itself within a few days.` }];
  }
  if (order.status === 'returned') {
    if (refunded) return [{ kind: 'text', text: `We received the return of order ${order.number}${when('returned')} and refunded ${partly} to your original payment method. ${timelines}` }, card];
    return [{ kind: 'text', text: `We received the return of order ${order.number}${when('returned')}. We inspect it and issue your refund of ${amount} within 3 business days. ${timelines}` }, card];
  }
  if (refunded) return [{ kind: 'text', text: `We refunded ${partly} of order ${order.number} to your original payment method. ${timelines}` }, card];
  return null;
}
