import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../schema.js';
import type { ShopImport } from './import-schema.js';
import {
  canonical,
  canonicalOrder,
  customerValues,
  deviceValues,
  loadOrders,
  orderValues,
  productValues,
  type CustomerValues,
  type DeviceValues,
  type OrderValues,
  type ProductValues,
} from './rows.js';

export const CollectionSummarySchema = z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type CollectionSummary = z.infer<typeof CollectionSummarySchema>;

/** What an import did, per collection. A second import of the same file reports only `unchanged`. */
export const ImportSummarySchema = z.object({
  customers: CollectionSummarySchema,
  products: CollectionSummarySchema,
  orders: CollectionSummarySchema,
  devices: CollectionSummarySchema,
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

/** Called after each batch with the records handled so far and the records in the file. */
export type ImportProgress = (done: number, total: number) => void;

/** Records per statement; orders have 8 columns, so a batch stays far below the bind-parameter limit. */
export const WRITE_BATCH = 500;

/** Serialises shop writers (imports, the demo seed) so two of them never interleave their compare-then-write. */
export async function lockShopWrites(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(7210043)`.execute(trx);
}

/**
 * Upserts a validated import inside the caller's transaction. Each record is compared with its
 * stored form first and only new or changed ones are written, so re-importing a file touches no
 * row (and no `updated_at`). An order's items, timeline and shipments are replaced as a whole.
 */
export async function writeShop(trx: Kysely<Database>, data: ShopImport, onProgress?: ImportProgress): Promise<ImportSummary> {
  const total = data.customers.length + data.products.length + data.orders.length + data.devices.length;
  let done = 0;
  const advance = (count: number) => {
    done += count;
    onProgress?.(done, total);
  };
  onProgress?.(0, total);

  const customers = await upsertCollection(data.customers.map(customerValues), (v) => v.id, advance, {
    load: (ids) => trx.selectFrom('customers').select(['id', 'account_id', 'name', 'email', 'phone', 'plan', 'preferred_channel', 'vip']).where('id', 'in', ids).execute(),
    write: (rows) =>
      trx
        .insertInto('customers')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            phone: eb.ref('excluded.phone'),
            plan: eb.ref('excluded.plan'),
            preferred_channel: eb.ref('excluded.preferred_channel'),
            vip: eb.ref('excluded.vip'),
          })),
        )
        .execute(),
  });

  const products = await upsertCollection(data.products.map(productValues), (v) => v.sku, advance, {
    load: (skus) => trx.selectFrom('products').select(['sku', 'name', 'category', 'price_cents', 'currency', 'return_window_days', 'warranty_months', 'final_sale']).where('sku', 'in', skus).execute(),
    write: (rows) =>
      trx
        .insertInto('products')
        .values(rows)
        .onConflict((oc) =>
          oc.column('sku').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            category: eb.ref('excluded.category'),
            price_cents: eb.ref('excluded.price_cents'),
            currency: eb.ref('excluded.currency'),
            return_window_days: eb.ref('excluded.return_window_days'),
            warranty_months: eb.ref('excluded.warranty_months'),
            final_sale: eb.ref('excluded.final_sale'),
          })),
        )
        .execute(),
  });

  const orders = await upsertOrders(trx, data.orders.map(orderValues), advance);

  const devices = await upsertCollection(data.devices.map(deviceValues), (v) => v.serial, advance, {
    load: (serials) =>
      trx.selectFrom('devices').select(['serial', 'customer_id', 'sku', 'nickname', 'firmware_version', 'online', 'last_seen_at', 'registered_at']).where('serial', 'in', serials).execute(),
    write: (rows) =>
      trx
        .insertInto('devices')
        .values(rows)
        .onConflict((oc) =>
          oc.column('serial').doUpdateSet((eb) => ({
            customer_id: eb.ref('excluded.customer_id'),
            sku: eb.ref('excluded.sku'),
            nickname: eb.ref('excluded.nickname'),
            firmware_version: eb.ref('excluded.firmware_version'),
            online: eb.ref('excluded.online'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            registered_at: eb.ref('excluded.registered_at'),
          })),
        )
        .execute(),
  });

  return { customers, products, orders, devices };
}

async function upsertCollection<V extends CustomerValues | ProductValues | DeviceValues>(
  values: readonly V[],
  key: (value: V) => string,
  advance: (count: number) => void,
  table: { load: (keys: string[]) => Promise<V[]>; write: (rows: V[]) => Promise<unknown> },
): Promise<CollectionSummary> {
  const summary: CollectionSummary = { inserted: 0, updated: 0, unchanged: 0 };
  for (const batch of chunks(values, WRITE_BATCH)) {
    const stored = new Map((await table.load(batch.map(key))).map((row) => [key(row), canonical(row)]));
    const changed: V[] = [];
    for (const value of batch) {
      const before = stored.get(key(value));
      if (before === undefined) summary.inserted++;
      else if (before !== canonical(value)) summary.updated++;
      else {
        summary.unchanged++;
        continue;
      }
      changed.push(value);
    }
    if (changed.length > 0) await table.write(changed);
    advance(batch.length);
  }
  return summary;
}

async function upsertOrders(trx: Kysely<Database>, values: readonly OrderValues[], advance: (count: number) => void): Promise<CollectionSummary> {
  const summary: CollectionSummary = { inserted: 0, updated: 0, unchanged: 0 };
  const changed: OrderValues[] = [];
  for (const batch of chunks(values, WRITE_BATCH)) {
    const stored = await loadOrders(trx, batch.map((v) => v.order.number));
    for (const value of batch) {
      const before = stored.get(value.order.number);
      if (before === undefined) summary.inserted++;
      else if (canonicalOrder(before) !== canonicalOrder(value)) summary.updated++;
      else continue;
      changed.push(value);
    }
  }
  summary.unchanged = values.length - changed.length;
  advance(summary.unchanged);

  // Children of every changed order go first: a shipment may move from one order of the file to another.
  for (const batch of chunks(changed, WRITE_BATCH)) {
    const numbers = batch.map((v) => v.order.number);
    await trx.deleteFrom('order_items').where('order_number', 'in', numbers).execute();
    await trx.deleteFrom('order_status_events').where('order_number', 'in', numbers).execute();
    await trx.deleteFrom('shipments').where('order_number', 'in', numbers).execute();
  }
  for (const batch of chunks(changed, WRITE_BATCH)) {
    await trx
      .insertInto('orders')
      .values(batch.map(({ order }) => ({ ...order, shipping_address: JSON.stringify(order.shipping_address) })))
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({
          customer_id: eb.ref('excluded.customer_id'),
          status: eb.ref('excluded.status'),
          payment_status: eb.ref('excluded.payment_status'),
          placed_at: eb.ref('excluded.placed_at'),
          total_cents: eb.ref('excluded.total_cents'),
          currency: eb.ref('excluded.currency'),
          shipping_address: eb.ref('excluded.shipping_address'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
    const items = batch.flatMap((v) => v.items);
    const events = batch.flatMap((v) => v.events);
    const shipments = batch.flatMap((v) => v.shipments);
    for (const rows of chunks(items, WRITE_BATCH * 2)) await trx.insertInto('order_items').values(rows).execute();
    for (const rows of chunks(events, WRITE_BATCH * 2)) await trx.insertInto('order_status_events').values(rows).execute();
    for (const rows of chunks(shipments, WRITE_BATCH * 2)) await trx.insertInto('shipments').values(rows).execute();
    advance(batch.length);
  }
  return summary;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
