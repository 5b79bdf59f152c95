import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../../test/databases.js';
import { DEMO_FIXTURES, generateDemoShop } from './demo.js';
import { DEVICE_MODELS } from './demo-catalogue.js';
import { ORDER_STATUSES, type OrderStatus } from '../../core/order-status.js';
import { isE164PhoneNumber } from './import-schema.js';
import { seedDemoShop } from './seed.js';
import { countShopRows } from './test-helpers.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const RANK: Record<OrderStatus, number> = { placed: 0, paid: 1, packed: 2, shipped: 3, out_for_delivery: 4, delivered: 5, returned: 6, cancelled: 7 };
const PAYMENT_FOR: Record<OrderStatus, string[]> = {
  placed: ['pending', 'failed'],
  paid: ['paid'],
  packed: ['paid'],
  shipped: ['paid'],
  out_for_delivery: ['paid'],
  delivered: ['paid', 'partially_refunded'],
  cancelled: ['failed', 'refunded'],
  returned: ['refunded', 'partially_refunded'],
};
const TRACKING_PAGES: Record<string, string> = {
  UPS: 'https://www.ups.com/track?tracknum=',
  FedEx: 'https://www.fedex.com/fedextrack/?trknbr=',
  USPS: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=',
  DHL: 'https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=',
};

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

test('the demo shop is the same on every run for the same moment', () => {
  expect(JSON.stringify(generateDemoShop(NOW))).toBe(JSON.stringify(generateDemoShop(NOW)));
});

describe.each(DATABASE_KINDS)('demo shop seeded into %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let firstSeed: { seeded: boolean };
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    firstSeed = await seedDemoShop(handle.db, NOW);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('an empty database gets at least 50 customers, 20 products, 200 orders of every status and 60 devices', async () => {
    expect(firstSeed).toEqual({ seeded: true });
    const counts = await countShopRows(handle.db);
    expect(counts.customers).toBeGreaterThanOrEqual(50);
    expect(counts.products).toBeGreaterThanOrEqual(20);
    expect(counts.orders).toBeGreaterThanOrEqual(200);
    expect(counts.devices).toBeGreaterThanOrEqual(60);
    const statuses = await handle.db.selectFrom('orders').select('status').distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  test('Ada Lovelace (C1001) has a shipped, a returnable and a cancellable order and an offline camera', async () => {
    const f = DEMO_FIXTURES;
    const ada = await handle.db.selectFrom('customers').selectAll().where('id', '=', f.customerId).executeTakeFirstOrThrow();
    expect(ada).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+14155550101', plan: 'premium', vip: true, account_id: f.accountId });
    const orders = await handle.db.selectFrom('orders').select(['number', 'status', 'payment_status']).where('customer_id', '=', f.customerId).orderBy('number').execute();
    expect(orders.map((o) => o.number)).toEqual(expect.arrayContaining(['100234', '100235', '100236']));

    const shipped = await handle.db.selectFrom('shipments').innerJoin('orders', 'orders.number', 'shipments.order_number').selectAll('shipments').select('orders.status').where('order_number', '=', f.shippedOrder).executeTakeFirstOrThrow();
    expect(shipped).toMatchObject({ status: 'shipped', carrier: 'UPS', delivered_at: null });
    expect(shipped.estimated_delivery).toEqual(new Date(NOW.getTime() + 2 * DAY));
    expect(shipped.tracking_url).toBe(`https://www.ups.com/track?tracknum=${shipped.tracking_number}`);

    const delivered = await handle.db.selectFrom('order_status_events').select('at').where('order_number', '=', f.returnableOrder).where('status', '=', 'delivered').executeTakeFirstOrThrow();
    expect(delivered.at).toEqual(ago(5 * DAY));
    const buds = await handle.db.selectFrom('order_items').innerJoin('products', 'products.sku', 'order_items.sku').select(['products.name', 'return_window_days', 'final_sale']).where('order_number', '=', f.returnableOrder).where('order_items.sku', '=', f.returnableSku).executeTakeFirstOrThrow();
    expect(buds).toEqual({ name: 'Voltline Buds ANC', return_window_days: 30, final_sale: false });

    expect(orders.find((o) => o.number === f.cancellableOrder)).toMatchObject({ status: 'placed', payment_status: 'pending' });
    const cancellableShipments = await handle.db.selectFrom('shipments').select('id').where('order_number', '=', f.cancellableOrder).execute();
    expect(cancellableShipments).toEqual([]);

    const devices = await handle.db.selectFrom('devices').selectAll().where('customer_id', '=', f.customerId).orderBy('serial').execute();
    expect(devices.find((d) => d.serial === f.offlineCameraSerial)).toMatchObject({ sku: 'VL-CAM-360', online: false, firmware_version: '2.3.0', last_seen_at: ago(3 * HOUR) });
    expect(devices.find((d) => d.serial === f.onlineRouterSerial)).toMatchObject({ sku: 'VL-MESH-PRO', online: true, firmware_version: '3.1.4' });
  });

  test('Grace Hopper (C1002) has an order out for delivery and a TV delivered 40 days ago, past its 15-day window', async () => {
    const g = DEMO_FIXTURES.second;
    const grace = await handle.db.selectFrom('customers').selectAll().where('id', '=', g.customerId).executeTakeFirstOrThrow();
    expect(grace).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com', phone: '+14155550102' });
    const out = await handle.db.selectFrom('orders').select(['status', 'customer_id']).where('number', '=', g.outForDeliveryOrder).executeTakeFirstOrThrow();
    expect(out).toEqual({ status: 'out_for_delivery', customer_id: g.customerId });
    const tv = await handle.db
      .selectFrom('orders')
      .innerJoin('order_items', 'order_items.order_number', 'orders.number')
      .innerJoin('products', 'products.sku', 'order_items.sku')
      .innerJoin('order_status_events', (join) => join.onRef('order_status_events.order_number', '=', 'orders.number').on('order_status_events.status', '=', 'delivered'))
      .select(['orders.status', 'orders.customer_id', 'products.name', 'products.return_window_days', 'order_status_events.at'])
      .where('orders.number', '=', g.expiredReturnOrder)
      .where('products.sku', '=', g.expiredReturnSku)
      .executeTakeFirstOrThrow();
    expect(tv).toEqual({ status: 'delivered', customer_id: g.customerId, name: 'Voltline Vision 55" TV', return_window_days: 15, at: ago(40 * DAY) });
  });

  test('every timeline runs forward in time along placed → … → delivered and ends in the order status', async () => {
    const orders = await handle.db.selectFrom('orders').select(['number', 'status', 'placed_at']).execute();
    const events = await handle.db.selectFrom('order_status_events').select(['order_number', 'status', 'at']).orderBy('order_number').orderBy('at').execute();
    const byOrder = groupBy(events, (e) => e.order_number);
    for (const order of orders) {
      const timeline = byOrder.get(order.number) ?? [];
      expect(timeline[0], order.number).toMatchObject({ status: 'placed', at: order.placed_at });
      expect(timeline.at(-1)?.status, order.number).toBe(order.status);
      for (let i = 1; i < timeline.length; i++) {
        const [prev, next] = [timeline[i - 1], timeline[i]];
        if (prev === undefined || next === undefined) continue;
        expect(next.at.getTime(), order.number).toBeGreaterThan(prev.at.getTime());
        expect(RANK[next.status as OrderStatus], order.number).toBeGreaterThan(RANK[prev.status as OrderStatus]);
      }
      expect(timeline.at(-1)?.at.getTime() ?? Infinity).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  test('payments, totals, shipments and contact details are consistent with each order', async () => {
    const orders = await handle.db.selectFrom('orders').select(['number', 'status', 'payment_status', 'total_cents']).execute();
    const items = await handle.db.selectFrom('order_items').innerJoin('products', 'products.sku', 'order_items.sku').select(['order_number', 'quantity', 'unit_price_cents', 'price_cents']).execute();
    const shipments = await handle.db.selectFrom('shipments').selectAll().execute();
    const lines = groupBy(items, (i) => i.order_number);
    for (const order of orders) {
      expect(order.number).toMatch(/^1\d{5}$/);
      expect(PAYMENT_FOR[order.status as OrderStatus], order.number).toContain(order.payment_status);
      const orderLines = lines.get(order.number) ?? [];
      expect(orderLines.length).toBeGreaterThanOrEqual(1);
      expect(orderLines.length).toBeLessThanOrEqual(3);
      expect(orderLines.every((l) => l.unit_price_cents === l.price_cents)).toBe(true);
      expect(order.total_cents).toBe(orderLines.reduce((sum, l) => sum + l.quantity * l.unit_price_cents, 0));
      const shipped = ['shipped', 'out_for_delivery', 'delivered', 'returned'].includes(order.status);
      expect(shipments.some((s) => s.order_number === order.number), order.number).toBe(shipped);
    }
    for (const s of shipments) {
      expect(`${TRACKING_PAGES[s.carrier] ?? 'unknown carrier '}${s.tracking_number}`).toBe(s.tracking_url);
      expect(s.estimated_delivery).toBeInstanceOf(Date);
    }
    const customers = await handle.db.selectFrom('customers').select(['email', 'phone']).execute();
    for (const c of customers) {
      expect(c.email).toMatch(/@example\.(com|org|net)$/);
      if (c.phone !== null) expect(isE164PhoneNumber(c.phone) && /^\+1\d{3}5550[01]\d\d$/.test(c.phone), c.phone).toBe(true);
    }
    const devices = await handle.db.selectFrom('devices').select(['sku', 'firmware_version']).execute();
    for (const d of devices) {
      expect(Object.keys(DEVICE_MODELS)).toContain(d.sku);
      expect(d.firmware_version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test('seeding again leaves a shop that already has customers untouched', async () => {
    const before = await countShopRows(handle.db);
    await expect(seedDemoShop(handle.db, new Date(NOW.getTime() + DAY))).resolves.toEqual({ seeded: false });
    expect(await countShopRows(handle.db)).toEqual(before);
    const ada = await handle.db.selectFrom('devices').select('last_seen_at').where('serial', '=', DEMO_FIXTURES.offlineCameraSerial).executeTakeFirstOrThrow();
    expect(ada.last_seen_at).toEqual(ago(3 * HOUR));
  });
});
