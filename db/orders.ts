import type { Kysely } from 'kysely';
import type { OrderStatus, PaymentStatus } from '../core/order-status.js';
import type { Database, ShipmentRow } from './schema.js';

export interface OrderDetails {
  number: string;
  customerId: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  placedAt: Date;
  totalCents: number;
  currency: string;
  items: Array<{ sku: string; name: string; category: string; quantity: number; unitPriceCents: number }>;
  timeline: Array<{ status: OrderStatus; at: Date }>;
  shipments: ShipmentRow[];
}

/** One line of "which order do you mean?". */
export interface OrderSummary {
  number: string;
  status: OrderStatus;
  placedAt: Date;
  firstItem: string | null;
}

/**
 * A customer's orders. Every query names the customer and filters by it in SQL, so someone
 * else's order number finds nothing, exactly like a number that doesn't exist, and costs the
 * same one query. Reached by flows only through `VerifiedCustomer` (bots/verified-customer.ts).
 */
export class OrderRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async order(customerId: string, number: string): Promise<OrderDetails | null> {
    const order = await this.db.selectFrom('orders').selectAll().where('number', '=', number).where('customer_id', '=', customerId).executeTakeFirst();
    if (!order) return null;
    const [items, timeline, shipments] = await Promise.all([
      this.db
        .selectFrom('order_items as i')
        .innerJoin('products as p', 'p.sku', 'i.sku')
        .select(['i.sku', 'p.name', 'p.category', 'i.quantity', 'i.unit_price_cents'])
        .where('i.order_number', '=', number)
        .orderBy('i.line')
        .execute(),
      this.db.selectFrom('order_status_events').select(['status', 'at']).where('order_number', '=', number).orderBy('at').execute(),
      this.db.selectFrom('shipments').selectAll().where('order_number', '=', number).orderBy('shipped_at').execute(),
    ]);
    return {
      number: order.number,
      customerId: order.customer_id,
      status: order.status,
      paymentStatus: order.payment_status,
      placedAt: order.placed_at,
      totalCents: order.total_cents,
      currency: order.currency,
      items: items.map((i) => ({
        sku: i.sku,
        name: i.name,
        category: i.category,
        quantity: i.quantity,
        unitPriceCents: i.unit_price_cents,
      })),
      timeline,
      shipments,
    };
  }

  /** The customer's most recent orders, newest first. */
  async recent(customerId: string, limit = 5): Promise<OrderSummary[]> {
    const orders = await this.db
      .selectFrom('orders as o')
      .select(['o.number', 'o.status', 'o.placed_at'])
      .select((eb) =>
        eb
          .selectFrom('order_items as i')
          .innerJoin('products as p', 'p.sku', 'i.sku')
          .select('p.name')
          .whereRef('i.order_number', '=', 'o.number')
          .orderBy('i.line')
          .limit(1)
          .as('first_item'),
      )
      .where('o.customer_id', '=', customerId)
      .orderBy('o.placed_at', 'desc')
      .limit(limit)
      .execute();
    return orders.map((o) => ({ number: o.number, status: o.status, placedAt: o.placed_at, firstItem: o.first_item }));
  }
}
