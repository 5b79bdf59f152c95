import type { OutboundMessage } from '../../core/message.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';
import type { FlowContext } from '../flow.js';

/** Where and when the customer reads a reply: dates are the calendar days of this zone. */
export interface CustomerClock {
  /** IANA time zone: the one the customer's channel sent, else SHOP_TIME_ZONE. */
  timeZone: string;
  now: Date;
}

/** The customer's own zone when their channel sent one (the widget sends the browser's), else the shop's. */
export function customerClock(ctx: Pick<FlowContext, 'message' | 'now'>, shopTimeZone: string): CustomerClock {
  return { timeZone: ctx.message.timeZone ?? shopTimeZone, now: ctx.now };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const dateKeys = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    cache.set(timeZone, format);
  }
  return format;
}

/** "Wed, Dec 2" on the calendar of `timeZone`: a parcel due at 02:00 UTC is due the evening before in California. */
export function formatDay(date: Date, timeZone: string): string {
  return cached(dayFormats, timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(date);
}

/** The calendar day of `date` in `timeZone` (en-CA formats as YYYY-MM-DD), to compare days. */
function dayKey(date: Date, timeZone: string): string {
  let format = dateKeys.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    dateKeys.set(timeZone, format);
  }
  return format.format(date);
}

/** "today", "tomorrow" or the day, as the customer's calendar has it. */
export function relativeDay(date: Date, clock: CustomerClock): string {
  const day = dayKey(date, clock.timeZone);
  if (day === dayKey(clock.now, clock.timeZone)) return `today (${formatDay(date, clock.timeZone)})`;
  if (day === dayKey(new Date(clock.now.getTime() + 24 * 60 * 60 * 1000), clock.timeZone)) return `tomorrow (${formatDay(date, clock.timeZone)})`;
  return formatDay(date, clock.timeZone);
}

export const STATUS_LABEL: Record<OrderStatus, string> = {
  placed: 'Placed',
  paid: 'Paid',
  packed: 'Packed',
  shipped: 'Shipped',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  returned: 'Returned',
};

function reachedAt(order: OrderDetails, status: OrderStatus): Date | null {
  return order.timeline.find((t) => t.status === status)?.at ?? null;
}

/**
 * When an out-for-delivery parcel arrives. "Today" is what out for delivery means, unless the
 * carrier's estimate is another day: then the estimate is said instead, never both.
 */
function outForDelivery(eta: Date | null, clock: CustomerClock): string {
  if (eta === null || dayKey(eta, clock.timeZone) === dayKey(clock.now, clock.timeZone)) return 'should arrive today';
  return `should arrive ${relativeDay(eta, clock)}`;
}

/** A short human description of where the order is, with what the customer can do next. */
export function describeOrder(order: OrderDetails, clock: CustomerClock): OutboundMessage {
  const shipment = order.shipments.at(-1);
  const items = order.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ');
  const day = (d: Date) => formatDay(d, clock.timeZone);
  const lines: string[] = [];
  const at = (s: OrderStatus) => {
    const d = reachedAt(order, s);
    return d ? ` on ${day(d)}` : '';
  };
  const eta = shipment?.estimated_delivery ?? null;
  switch (order.status) {
    case 'placed':
      lines.push(`We've received your order (placed ${day(order.placedAt)}) and are waiting for payment confirmation.`);
      break;
    case 'paid':
      lines.push(`Payment is confirmed${at('paid')} and we're preparing your order for shipping.`);
      break;
    case 'packed':
      lines.push(`Your order was packed${at('packed')} and is waiting for the carrier to pick it up.`);
      break;
    case 'shipped':
      lines.push(`Your order shipped${at('shipped')}${shipment ? ` with ${shipment.carrier}` : ''}.`);
      if (eta !== null) lines.push(`Estimated delivery: ${relativeDay(eta, clock)}.`);
      break;
    case 'out_for_delivery':
      lines.push(`Your order is out for delivery${shipment ? ` with ${shipment.carrier}` : ''} and ${outForDelivery(eta, clock)}.`);
      break;
    case 'delivered':
      lines.push(`Your order was delivered${shipment?.delivered_at ? ` on ${day(shipment.delivered_at)}` : at('delivered')}.`);
      break;
    case 'cancelled':
      lines.push(`This order was cancelled${at('cancelled')}. Any payment is refunded to the original payment method within 5–10 business days.`);
      break;
    case 'returned':
      lines.push(`This order was returned${at('returned')}. Your refund goes to the original payment method.`);
      break;
    default: {
      const unknown: never = order.status;
      lines.push(`Status: ${String(unknown)}.`);
    }
  }
  if (shipment && (order.status === 'shipped' || order.status === 'out_for_delivery')) lines.push(`Tracking number: ${shipment.tracking_number}.`);
  lines.push(`Items: ${items}.`);
  const trackable = shipment && order.status !== 'cancelled';
  return {
    kind: 'card',
    title: `Order ${order.number}: ${STATUS_LABEL[order.status]}`,
    text: lines.join(' '),
    ...(trackable ? { link: { title: `Track with ${shipment.carrier}`, url: shipment.tracking_url } } : {}),
  };
}
