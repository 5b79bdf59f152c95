import type { Kysely } from 'kysely';
import type { ShopEvent, ShopEventKind } from '../channels/proactive/shop-event-schema.js';
import type { Database } from './schema.js';

/** A shop event stored for the first time: what its notice is made of. */
export interface StoredShopEvent {
  key: string;
  eventId: string;
  orderNumber: string;
  kind: ShopEventKind;
  at: Date;
  customerId: string;
  estimatedDelivery: Date | null;
  trackingUrl: string | null;
}

/** The idempotency key of an event: per order and the shop's event id. */
export function shopEventKey(orderNumber: string, eventId: string): string {
  return `${orderNumber}:${eventId}`;
}

/** The order status an event moves the order to (a delay changes the date, not the status). */
const STATUS_OF: Readonly<Record<ShopEventKind, 'shipped' | 'out_for_delivery' | 'delivered' | null>> = {
  shipped: 'shipped',
  out_for_delivery: 'out_for_delivery',
  delayed: null,
  delivered: 'delivered',
};

/**
 * The order events the shop reported (`shop_events`). Stored once per order + event id: the
 * shop's retry of an event, or the same event in a later batch, is recognised and changes
 * nothing. Everything here runs on the caller's transaction, with the notices it decides.
 */
export class ShopEvents {
  /** The order numbers of `numbers` that exist, with their customer. */
  static async owners(db: Pick<Kysely<Database>, 'selectFrom'>, numbers: readonly string[]): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows = await db.selectFrom('orders').select(['number', 'customer_id']).where('number', 'in', [...new Set(numbers)]).execute();
    return new Map(rows.map((r) => [r.number, r.customer_id]));
  }

  /** Inserts the events not stored yet and applies them to their orders; returns those that are new. */
  static async record(trx: Kysely<Database>, events: readonly ShopEvent[], owners: ReadonlyMap<string, string>, source: 'webhook' | 'import'): Promise<StoredShopEvent[]> {
    const unique = new Map<string, ShopEvent>();
    for (const e of events) if (!unique.has(shopEventKey(e.orderNumber, e.id))) unique.set(shopEventKey(e.orderNumber, e.id), e);
    if (unique.size === 0) return [];
    const inserted = await trx
      .insertInto('shop_events')
      .values(
        [...unique.entries()].map(([key, e]) => ({
          idempotency_key: key,
          event_id: e.id,
          order_number: e.orderNumber,
          kind: e.kind,
          occurred_at: e.at,
          source,
          details: JSON.stringify({ estimatedDelivery: e.estimatedDelivery ?? null, carrier: e.carrier ?? null, trackingUrl: e.trackingUrl ?? null }),
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .execute();
    const stored: StoredShopEvent[] = [];
    for (const { idempotency_key: key } of inserted) {
      const e = unique.get(key);
      const customerId = e === undefined ? undefined : owners.get(e.orderNumber);
      if (e === undefined || customerId === undefined) continue;
      stored.push({
        key,
        eventId: e.id,
        orderNumber: e.orderNumber,
        kind: e.kind,
        at: new Date(e.at),
        customerId,
        estimatedDelivery: e.estimatedDelivery ? new Date(e.estimatedDelivery) : null,
        trackingUrl: e.trackingUrl ?? null,
      });
      // An import already wrote the order itself.
      if (source === 'webhook') await ShopEvents.applyToOrder(trx, e);
    }
    return stored;
  }

  /** The order's status and timeline (or its expected delivery date), never moving a cancelled or returned order. */
  private static async applyToOrder(trx: Kysely<Database>, e: ShopEvent): Promise<void> {
    const status = STATUS_OF[e.kind];
    if (status !== null) {
      const moved = await trx
        .updateTable('orders')
        .set({ status, updated_at: new Date() })
        .where('number', '=', e.orderNumber)
        .where('status', 'not in', ['cancelled', 'returned'])
        .executeTakeFirst();
      if (moved.numUpdatedRows > 0n) {
        await trx
          .insertInto('order_status_events')
          .values({ order_number: e.orderNumber, status, at: e.at })
          .onConflict((oc) => oc.columns(['order_number', 'status']).doUpdateSet({ at: e.at }))
          .execute();
      }
    }
    if (e.estimatedDelivery !== undefined && e.estimatedDelivery !== null) {
      await trx.updateTable('shipments').set({ estimated_delivery: e.estimatedDelivery }).where('order_number', '=', e.orderNumber).where('delivered_at', 'is', null).execute();
    }
    if (e.kind === 'delivered') {
      await trx.updateTable('shipments').set({ delivered_at: e.at }).where('order_number', '=', e.orderNumber).where('delivered_at', 'is', null).execute();
    }
  }
}
