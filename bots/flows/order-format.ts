import type { OutboundMessage } from '../../core/message.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';

const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatDay(date: Date): string {
  return day.format(date);
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

/** A short human description of where the order is, with what the customer can do next. */
export function describeOrder(order: OrderDetails): OutboundMessage {
  const shipment = order.shipments.at(-1);
  const items = order.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ');
  const lines: string[] = [];
  const at = (s: OrderStatus) => {
    const d = reachedAt(order, s);
    return d ? ` on ${formatDay(d)}` : '';
  };
  switch (order.status) {
    case 'placed':
      lines.push(`We've received your order (placed ${formatDay(order.placedAt)}) and are waiting for payment confirmation.`);
      break;
    case 'paid':
      lines.push(`Payment is confirmed${at('paid')} and we're preparing your order for shipping.`);
      break;
    case 'packed':
      lines.push(`Your order was packed${at('packed')} and is waiting for the carrier to pick it up.`);
      break;
    case 'shipped':
      lines.push(`Your order shipped${at('shipped')}${shipment ? ` with ${shipment.carrier}` : ''}.`);
      break;
    case 'out_for_delivery':
      lines.push(`Your order is out for delivery${shipment ? ` with ${shipment.carrier}` : ''} and should arrive today.`);
      break;
    case 'delivered':
      lines.push(`Your order was delivered${shipment?.delivered_at ? ` on ${formatDay(shipment.delivered_at)}` : at('delivered')}.`);
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
  if (shipment && (order.status === 'shipped' || order.status === 'out_for_delivery')) {
    if (shipment.estimated_delivery) lines.push(`Estimated delivery: ${formatDay(shipment.estimated_delivery)}.`);
    lines.push(`Tracking number: ${shipment.tracking_number}.`);
  }
  lines.push(`Items: ${items}.`);
  const trackable = shipment && order.status !== 'cancelled';
  return {
    kind: 'card',
    title: `Order ${order.number}: ${STATUS_LABEL[order.status]}`,
    text: lines.join(' '),
    ...(trackable ? { link: { title: `Track with ${shipment.carrier}`, url: shipment.tracking_url } } : {}),
  };
}
