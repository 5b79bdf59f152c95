import type { Kysely } from 'kysely';
import type { CustomerChannel } from '../../core/message.js';
import type { OrderStatus, PaymentStatus } from '../../core/order-status.js';
import type { ShippingAddress } from '../../core/shipping-address.js';
import type { Database } from '../schema.js';
import type { CustomerImport, DeviceImport, OrderImport, ProductImport } from './import-schema.js';

/** The columns an import owns, per table (`created_at` / `updated_at` belong to the database). */
export interface CustomerValues {
  id: string;
  account_id: string;
  name: string;
  email: string;
  phone: string | null;
  plan: string;
  preferred_channel: CustomerChannel;
  vip: boolean;
}
export interface ProductValues {
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  currency: string;
  return_window_days: number;
  warranty_months: number;
  final_sale: boolean;
}
export interface DeviceValues {
  serial: string;
  customer_id: string;
  sku: string;
  nickname: string | null;
  firmware_version: string;
  online: boolean;
  last_seen_at: Date | null;
  registered_at: Date;
}
/** An order with its child rows: it is unchanged only when all of them are. */
export interface OrderValues {
  order: {
    number: string;
    customer_id: string;
    status: OrderStatus;
    payment_status: PaymentStatus;
    placed_at: Date;
    total_cents: number;
    currency: string;
    shipping_address: ShippingAddress;
  };
  items: Array<{ order_number: string; line: number; sku: string; quantity: number; unit_price_cents: number }>;
  events: Array<{ order_number: string; status: OrderStatus; at: Date }>;
  shipments: Array<{
    id: string;
    order_number: string;
    carrier: string;
    tracking_number: string;
    tracking_url: string;
    estimated_delivery: Date | null;
    shipped_at: Date | null;
    delivered_at: Date | null;
  }>;
}

const date = (value: string | null | undefined): Date | null => (value === null || value === undefined ? null : new Date(value));

export const customerValues = (c: CustomerImport): CustomerValues => ({
  id: c.id,
  account_id: c.accountId,
  name: c.name,
  email: c.email,
  phone: c.phone ?? null,
  plan: c.plan,
  preferred_channel: c.preferredChannel,
  vip: c.vip,
});

export const productValues = (p: ProductImport): ProductValues => ({
  sku: p.sku,
  name: p.name,
  category: p.category,
  price_cents: p.priceCents,
  currency: p.currency,
  return_window_days: p.returnWindowDays,
  warranty_months: p.warrantyMonths,
  final_sale: p.finalSale,
});

export const deviceValues = (d: DeviceImport): DeviceValues => ({
  serial: d.serial,
  customer_id: d.customerId,
  sku: d.sku,
  nickname: d.nickname ?? null,
  firmware_version: d.firmwareVersion,
  online: d.online,
  last_seen_at: date(d.lastSeenAt),
  registered_at: new Date(d.registeredAt),
});

export function orderValues(o: OrderImport): OrderValues {
  const total = o.totalCents ?? o.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  return {
    order: {
      number: o.number,
      customer_id: o.customerId,
      status: o.status,
      payment_status: o.paymentStatus,
      placed_at: new Date(o.placedAt),
      total_cents: total,
      currency: o.currency,
      shipping_address: o.shippingAddress,
    },
    items: o.items.map((item, i) => ({ order_number: o.number, line: i + 1, sku: item.sku, quantity: item.quantity, unit_price_cents: item.unitPriceCents })),
    events: o.timeline.map((e) => ({ order_number: o.number, status: e.status, at: new Date(e.at) })),
    shipments: o.shipments.map((s) => ({
      id: s.id,
      order_number: o.number,
      carrier: s.carrier,
      tracking_number: s.trackingNumber,
      tracking_url: s.trackingUrl,
      estimated_delivery: date(s.estimatedDelivery),
      shipped_at: date(s.shippedAt),
      delivered_at: date(s.deliveredAt),
    })),
  };
}

/**
 * A stable text form for "did anything change?": keys sorted, dates as ISO instants (so
 * `+02:00` and `Z` spellings of one moment compare equal), child rows in a fixed order.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

export function canonicalOrder(values: OrderValues): string {
  const byTime = (a: { at: Date; status: string }, b: { at: Date; status: string }) => a.at.getTime() - b.at.getTime() || a.status.localeCompare(b.status);
  return canonical({
    order: values.order,
    items: [...values.items].sort((a, b) => a.line - b.line),
    events: [...values.events].sort(byTime),
    shipments: [...values.shipments].sort((a, b) => a.id.localeCompare(b.id)),
  });
}

/** The stored form of the given orders, children included, keyed by order number. */
export async function loadOrders(db: Kysely<Database>, numbers: readonly string[]): Promise<Map<string, OrderValues>> {
  const out = new Map<string, OrderValues>();
  if (numbers.length === 0) return out;
  const orders = await db
    .selectFrom('orders')
    .select(['number', 'customer_id', 'status', 'payment_status', 'placed_at', 'total_cents', 'currency', 'shipping_address'])
    .where('number', 'in', numbers)
    .execute();
  for (const order of orders) out.set(order.number, { order, items: [], events: [], shipments: [] });
  const items = await db.selectFrom('order_items').select(['order_number', 'line', 'sku', 'quantity', 'unit_price_cents']).where('order_number', 'in', numbers).execute();
  for (const item of items) out.get(item.order_number)?.items.push(item);
  const events = await db.selectFrom('order_status_events').select(['order_number', 'status', 'at']).where('order_number', 'in', numbers).execute();
  for (const event of events) out.get(event.order_number)?.events.push(event);
  const shipments = await db
    .selectFrom('shipments')
    .select(['id', 'order_number', 'carrier', 'tracking_number', 'tracking_url', 'estimated_delivery', 'shipped_at', 'delivered_at'])
    .where('order_number', 'in', numbers)
    .execute();
  for (const shipment of shipments) out.get(shipment.order_number)?.shipments.push(shipment);
  return out;
}
