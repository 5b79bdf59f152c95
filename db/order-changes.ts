import type { Kysely } from 'kysely';
import type { OrderStatus, PaymentStatus } from '../core/order-status.js';
import { ShippingAddressSchema, type ShippingAddress } from '../core/shipping-address.js';
import type { Database } from './schema.js';

/** Orders in these statuses are still in our warehouse: they can be cancelled or re-addressed. */
export const CHANGEABLE_STATUSES = ['placed', 'paid', 'packed'] as const satisfies readonly OrderStatus[];
export type ChangeableStatus = (typeof CHANGEABLE_STATUSES)[number];

export function isChangeable(status: string): status is ChangeableStatus {
  return (CHANGEABLE_STATUSES as readonly string[]).includes(status);
}

export type OrderChangeResult =
  | { outcome: 'changed'; orderNumber: string; status: OrderStatus; paymentStatus: PaymentStatus; totalCents: number; currency: string }
  /** The order moved on (e.g. shipped) before the write: nothing was changed. */
  | { outcome: 'not_changeable'; status: OrderStatus }
  /** No such order for this customer (someone else's order looks the same as a missing one). */
  | { outcome: 'not_found' };

export interface OrderChangeInput {
  orderNumber: string;
  /** The verified customer from the server-side conversation state, never a typed value. */
  customerId: string;
  at: Date;
}

/**
 * Writes a customer may make to their own order before it ships. Each write is one conditional
 * UPDATE … WHERE status IN (placed, paid, packed) inside a transaction, so a warehouse scan that
 * ships the order between the bot's read and its write wins, and the bot reports what happened.
 */
export class OrderChanges {
  constructor(private readonly db: Kysely<Database>) {}

  /** Cancels the order and appends `cancelled` to its timeline. */
  async cancel(input: OrderChangeInput): Promise<OrderChangeResult> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('orders')
        .set((eb) => ({
          status: 'cancelled',
          // The shop's own convention for cancelled orders: a captured payment is refunded; an
          // authorisation that was never captured is voided, recorded as failed (nothing was taken).
          payment_status: eb
            .case()
            .when('payment_status', 'in', ['paid', 'partially_refunded'])
            .then(eb.val<PaymentStatus>('refunded'))
            .when('payment_status', '=', 'pending')
            .then(eb.val<PaymentStatus>('failed'))
            .else(eb.ref('payment_status'))
            .end(),
          updated_at: input.at,
        }))
        .where('number', '=', input.orderNumber)
        .where('customer_id', '=', input.customerId)
        .where('status', 'in', [...CHANGEABLE_STATUSES])
        .returning(['number', 'status', 'payment_status', 'total_cents', 'currency'])
        .executeTakeFirst();
      if (row === undefined) return this.whyNot(trx, input);
      await trx.insertInto('order_status_events').values({ order_number: row.number, status: 'cancelled', at: input.at }).execute();
      return changed(row);
    });
  }

  /** Replaces the delivery address; the status is unchanged, so the timeline is too. */
  async changeAddress(input: OrderChangeInput & { address: ShippingAddress }): Promise<OrderChangeResult> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('orders')
        .set({ shipping_address: JSON.stringify(input.address), updated_at: input.at })
        .where('number', '=', input.orderNumber)
        .where('customer_id', '=', input.customerId)
        .where('status', 'in', [...CHANGEABLE_STATUSES])
        .returning(['number', 'status', 'payment_status', 'total_cents', 'currency'])
        .executeTakeFirst();
      return row === undefined ? this.whyNot(trx, input) : changed(row);
    });
  }

  /** The delivery address of one of the customer's orders, or null when it isn't theirs. */
  async shippingAddress(orderNumber: string, customerId: string): Promise<ShippingAddress | null> {
    const row = await this.db
      .selectFrom('orders')
      .select('shipping_address')
      .where('number', '=', orderNumber)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? null : parseAddress(row.shipping_address);
  }

  private async whyNot(db: Kysely<Database>, input: OrderChangeInput): Promise<OrderChangeResult> {
    const current = await db
      .selectFrom('orders')
      .select('status')
      .where('number', '=', input.orderNumber)
      .where('customer_id', '=', input.customerId)
      .executeTakeFirst();
    return current === undefined ? { outcome: 'not_found' } : { outcome: 'not_changeable', status: current.status };
  }
}

function changed(row: { number: string; status: OrderStatus; payment_status: PaymentStatus; total_cents: number; currency: string }): OrderChangeResult {
  return {
    outcome: 'changed',
    orderNumber: row.number,
    status: row.status,
    paymentStatus: row.payment_status,
    totalCents: row.total_cents,
    currency: row.currency,
  };
}

/**
 * jsonb comes back parsed from node-postgres and PGlite; a string only from a text column.
 * Validated rather than cast: the column is only as good as the last writer.
 */
function parseAddress(value: unknown): ShippingAddress {
  return ShippingAddressSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);
}
