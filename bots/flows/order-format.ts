import type { OutboundMessage } from '../../core/message.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';
import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
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
  if (day === dayKey(clock.now, clock.timeZone)) return COPY.today(formatDay(date, clock.timeZone));
  if (day === dayKey(new Date(clock.now.getTime() + 24 * 60 * 60 * 1000), clock.timeZone)) return COPY.tomorrow(formatDay(date, clock.timeZone));
  return formatDay(date, clock.timeZone);
}

export const STATUS_LABEL: Record<OrderStatus, string> = COPY.statusLabel;

function reachedAt(order: OrderDetails, status: OrderStatus): Date | null {
  return order.timeline.find((t) => t.status === status)?.at ?? null;
}

/**
 * When an out-for-delivery parcel arrives. "Today" is what out for delivery means, unless the
 * carrier's estimate is another day: then the estimate is said instead, never both.
 */
function outForDelivery(eta: Date | null, clock: CustomerClock): string {
  if (eta === null || dayKey(eta, clock.timeZone) === dayKey(clock.now, clock.timeZone)) return COPY.arrivesToday;
  return COPY.arrives(relativeDay(eta, clock));
}

/** A short human description of where the order is, with what the customer can do next. */
export function describeOrder(order: OrderDetails, clock: CustomerClock): OutboundMessage {
  const shipment = order.shipments.at(-1);
  const items = order.items.map((i) => COPY.itemLine(i.quantity, i.name)).join(', ');
  const day = (d: Date) => formatDay(d, clock.timeZone);
  const lines: string[] = [];
  const at = (s: OrderStatus) => {
    const d = reachedAt(order, s);
    return d ? COPY.onDay(day(d)) : '';
  };
  const eta = shipment?.estimated_delivery ?? null;
  switch (order.status) {
    case 'placed':
      lines.push(COPY.placed(day(order.placedAt)));
      break;
    case 'paid':
      lines.push(COPY.paid(at('paid')));
      break;
    case 'packed':
      lines.push(COPY.packed(at('packed')));
      break;
    case 'shipped':
      lines.push(COPY.shipped(at('shipped'), shipment ? COPY.withCarrier(shipment.carrier) : ''));
      if (eta !== null) lines.push(COPY.estimatedDelivery(relativeDay(eta, clock)));
      break;
    case 'out_for_delivery':
      lines.push(COPY.outForDelivery(shipment ? COPY.withCarrier(shipment.carrier) : '', outForDelivery(eta, clock)));
      break;
    case 'delivered':
      lines.push(COPY.delivered(shipment?.delivered_at ? COPY.onDay(day(shipment.delivered_at)) : at('delivered')));
      break;
    case 'cancelled':
      lines.push(COPY.cancelledOrder(at('cancelled')));
      break;
    case 'returned':
      lines.push(COPY.returnedOrder(at('returned')));
      break;
    default: {
      const unknown: never = order.status;
      lines.push(COPY.unknownStatus(String(unknown)));
    }
  }
  if (shipment && (order.status === 'shipped' || order.status === 'out_for_delivery')) lines.push(COPY.trackingNumber(shipment.tracking_number));
  lines.push(COPY.items(items));
  const trackable = shipment && order.status !== 'cancelled';
  return {
    kind: 'card',
    title: COPY.orderCardTitle(order.number, STATUS_LABEL[order.status]),
    text: lines.join(' '),
    ...(trackable ? { link: { title: COPY.trackWith(shipment.carrier), url: shipment.tracking_url } } : {}),
  };
}
