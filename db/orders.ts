import type { Kysely } from 'kysely';
import type { CustomerRow, Database, DeviceRow, ShipmentRow } from './schema.js';

export const ORDER_STATUSES = [
  'placed',
  'paid',
  'packed',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderDetails {
  number: string;
  customerId: string;
  status: OrderStatus;
  paymentStatus: string;
  placedAt: Date;
  totalCents: number;
  currency: string;
  items: Array<{ sku: string; name: string; category: string; quantity: number; unitPriceCents: number }>;
  timeline: Array<{ status: string; at: Date }>;
  shipments: ShipmentRow[];
}

export interface DeviceDetails extends DeviceRow {
  productName: string;
  category: string;
}

/**
 * Read access to the shop's data. Nothing here checks who is asking: callers pass the
 * verified customer from the server-side conversation state, never a value a customer typed.
 */
export class ShopQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async findOrder(number: string): Promise<OrderDetails | null> {
    const order = await this.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirst();
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
      status: order.status as OrderStatus,
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
  async recentOrders(customerId: string, limit = 5): Promise<Array<{ number: string; status: OrderStatus; placedAt: Date; firstItem: string | null }>> {
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
    return orders.map((o) => ({ number: o.number, status: o.status as OrderStatus, placedAt: o.placed_at, firstItem: o.first_item }));
  }

  async getCustomer(id: string): Promise<CustomerRow | null> {
    return (await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findCustomerByEmail(email: string): Promise<CustomerRow | null> {
    return (
      (await this.db.selectFrom('customers').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()) ?? null
    );
  }

  async findCustomerByPhone(phone: string): Promise<CustomerRow | null> {
    return (await this.db.selectFrom('customers').selectAll().where('phone', '=', phone).executeTakeFirst()) ?? null;
  }

  async devices(customerId: string): Promise<DeviceDetails[]> {
    const rows = await this.db
      .selectFrom('devices as d')
      .innerJoin('products as p', 'p.sku', 'd.sku')
      .selectAll('d')
      .select(['p.name as productName', 'p.category'])
      .where('d.customer_id', '=', customerId)
      .orderBy('d.registered_at')
      .execute();
    return rows;
  }

  /** Products as the NLU's catalogue of names. */
  async catalogue(): Promise<Array<{ sku: string; name: string; category: string }>> {
    return this.db.selectFrom('products').select(['sku', 'name', 'category']).orderBy('sku').execute();
  }
}
