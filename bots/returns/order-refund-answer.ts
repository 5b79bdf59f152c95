import type { OutboundMessage } from '../../core/message.js';
import type { OrderDetails } from '../../db/orders.js';
import { formatDay } from '../flows/order-format.js';
import { REFUND_COPY_EN as COPY } from '../copy/returns.js';
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
    return at !== undefined ? COPY.onDay(formatDay(at, timeZone)) : '';
  };
  const card: OutboundMessage = { kind: 'card', title: COPY.cardTitle, text: COPY.cardByMethod, link: { title: COPY.cardLink, url: timelinesUrl } };
  const timelines = COPY.untilYouSee(REFUND_TIMELINES.map(([how, time]) => COPY.timelineEntry(how, time)).join('; '));
  const refunded = order.paymentStatus === 'refunded' || order.paymentStatus === 'partially_refunded';
  const partly = order.paymentStatus === 'partially_refunded' ? COPY.partOfAmount : amount;
  if (order.status === 'cancelled') {
    if (refunded) return [{ kind: 'text', text: COPY.orderCancelledRefunded(order.number, when('cancelled'), partly, timelines) }, card];
    if (order.paymentStatus === 'paid') {
      return [{ kind: 'text', text: COPY.orderCancelledPaid(order.number, when('cancelled'), amount, CANCELLATION_REFUND_BUSINESS_DAYS, timelines) }, card];
    }
    return [{ kind: 'text', text: COPY.orderCancelledUnpaid(order.number, when('cancelled')) }];
  }
  if (order.status === 'returned') {
    if (refunded) return [{ kind: 'text', text: COPY.orderReturnedRefunded(order.number, when('returned'), partly, timelines) }, card];
    return [{ kind: 'text', text: COPY.orderReturned(order.number, when('returned'), amount, timelines) }, card];
  }
  if (refunded) return [{ kind: 'text', text: COPY.orderRefunded(order.number, partly, timelines) }, card];
  return null;
}
