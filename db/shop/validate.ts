import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../../core/errors.js';
import type { Database } from '../schema.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderImport, ShopImport } from './import-schema.js';

/** Rows per `IN (…)` list: far below Postgres' 65,535 bind parameters. */
export const LOOKUP_CHUNK = 1000;

/** Position of each status on the forward path; `returned` comes after delivery, `cancelled` before shipping. */
const RANK: Record<OrderStatus, number> = { placed: 0, paid: 1, packed: 2, shipped: 3, out_for_delivery: 4, delivered: 5, returned: 6, cancelled: 7 };

/**
 * Checks what a zod schema cannot see: duplicate IDs inside the file, references to customers
 * and products (in the file or already in the database), shipment IDs owned by other orders,
 * and timelines that contradict themselves. Returns every problem; reads only.
 */
export async function findImportProblems(db: Kysely<Database>, data: ShopImport): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const customerIds = firstIndexes(data.customers.map((c) => c.id), 'customers', 'id', 'customer ID', add);
  const skus = firstIndexes(data.products.map((p) => p.sku), 'products', 'sku', 'SKU', add);
  const orderNumbers = firstIndexes(data.orders.map((o) => o.number), 'orders', 'number', 'order number', add);
  firstIndexes(data.devices.map((d) => d.serial), 'devices', 'serial', 'device serial', add);

  const shipmentOwner = new Map<string, string>();
  data.orders.forEach((order, i) => {
    order.shipments.forEach((shipment, j) => {
      const owner = shipmentOwner.get(shipment.id);
      if (owner !== undefined) add(`orders[${i}].shipments[${j}].id`, `duplicate shipment ID "${shipment.id}" (first in ${owner})`);
      else shipmentOwner.set(shipment.id, `orders[${i}].shipments[${j}]`);
    });
    checkTimeline(order, `orders[${i}]`, add);
  });

  const knownCustomers = await existing(db, 'customers', missingFrom(customerIds, [...data.orders.map((o) => o.customerId), ...data.devices.map((d) => d.customerId)]));
  const knownSkus = await existing(db, 'products', missingFrom(skus, [...data.orders.flatMap((o) => o.items.map((it) => it.sku)), ...data.devices.map((d) => d.sku)]));
  const hasCustomer = (id: string) => customerIds.has(id) || knownCustomers.has(id);
  const hasSku = (sku: string) => skus.has(sku) || knownSkus.has(sku);

  data.orders.forEach((order, i) => {
    if (!hasCustomer(order.customerId)) add(`orders[${i}].customerId`, `unknown customer ID "${order.customerId}"`);
    order.items.forEach((item, j) => {
      if (!hasSku(item.sku)) add(`orders[${i}].items[${j}].sku`, `unknown product SKU "${item.sku}"`);
    });
  });
  data.devices.forEach((device, i) => {
    if (!hasCustomer(device.customerId)) add(`devices[${i}].customerId`, `unknown customer ID "${device.customerId}"`);
    if (!hasSku(device.sku)) add(`devices[${i}].sku`, `unknown product SKU "${device.sku}"`);
  });

  // Shipment IDs are global: one that already belongs to an order outside this file cannot move silently.
  const owners = await shipmentOwners(db, [...shipmentOwner.keys()]);
  data.orders.forEach((order, i) => {
    order.shipments.forEach((shipment, j) => {
      const owner = owners.get(shipment.id);
      if (owner !== undefined && owner !== order.number && !orderNumbers.has(owner)) {
        add(`orders[${i}].shipments[${j}].id`, `shipment ID "${shipment.id}" already belongs to order ${owner}`);
      }
    });
  });
  return problems;
}

function firstIndexes(ids: readonly string[], collection: string, field: string, label: string, add: (path: string, message: string) => void): Map<string, number> {
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    const seen = first.get(id);
    if (seen !== undefined) add(`${collection}[${i}].${field}`, `duplicate ${label} "${id}" (first at ${collection}[${seen}])`);
    else first.set(id, i);
  });
  return first;
}

function checkTimeline(order: OrderImport, at: string, add: (path: string, message: string) => void): void {
  const seen = new Set<OrderStatus>();
  let previous: { status: OrderStatus; at: number } | undefined;
  order.timeline.forEach((event, k) => {
    const path = `${at}.timeline[${k}]`;
    const time = Date.parse(event.at);
    if (seen.has(event.status)) add(`${path}.status`, `status "${event.status}" appears twice`);
    else if (previous !== undefined) {
      if (previous.status === 'cancelled' || previous.status === 'returned') add(`${path}.status`, `nothing can follow "${previous.status}"`);
      else if (event.status === 'cancelled' && RANK[previous.status] >= RANK.shipped) add(`${path}.status`, `an order cannot be cancelled after "${previous.status}"; use "returned"`);
      else if (event.status === 'returned' && RANK[previous.status] < RANK.shipped) add(`${path}.status`, `an order cannot be returned before it shipped`);
      else if (RANK[event.status] <= RANK[previous.status]) add(`${path}.status`, `"${event.status}" cannot follow "${previous.status}"`);
      if (time < previous.at) add(`${path}.at`, `is earlier than the previous status change`);
    }
    seen.add(event.status);
    previous = { status: event.status, at: time };
  });
  if (previous !== undefined && previous.status !== order.status) {
    add(`${at}.status`, `"${order.status}" differs from the last timeline status "${previous.status}"`);
  }
}

function missingFrom(known: ReadonlyMap<string, number>, referenced: readonly string[]): string[] {
  return [...new Set(referenced.filter((id) => !known.has(id)))];
}

async function existing(db: Kysely<Database>, table: 'customers' | 'products', ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const rows =
      table === 'customers'
        ? await db.selectFrom('customers').select('id as key').where('id', 'in', chunk).execute()
        : await db.selectFrom('products').select('sku as key').where('sku', 'in', chunk).execute();
    for (const row of rows) found.add(row.key);
  }
  return found;
}

async function shipmentOwners(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await db.selectFrom('shipments').select(['id', 'order_number']).where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK)).execute();
    for (const row of rows) owners.set(row.id, row.order_number);
  }
  return owners;
}
