import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { DATABASE_KINDS, openTestDatabase } from '../../test/databases.js';
import { generateDemoShop } from './demo.js';
import { importShop } from './import.js';
import { shopImportJsonSchema } from './import-schema.js';
import { countShopRows, loadExample } from './test-helpers.js';

type Example = ReturnType<typeof loadExample>;
const at = <T>(list: T[] | undefined, i: number): T => {
  const item = list?.[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
};
const orderItems = (file: Example, order: number) => at(file.orders, order).items as Array<Record<string, unknown>>;
const timeline = (file: Example, order: number) => at(file.orders, order).timeline as Array<Record<string, unknown>>;
const all = { inserted: 0, updated: 0 };

test('the committed JSON Schema is the one generated from the zod schema', () => {
  const committed = readFileSync(new URL('../../docs/schemas/shop-import.schema.json', import.meta.url), 'utf8');
  // Regenerate with: npx tsx db/cli.ts schema > docs/schemas/shop-import.schema.json
  expect(committed).toBe(shopImportJsonSchema());
});

describe.each(DATABASE_KINDS)('shop import into %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('the example file imports cleanly, and importing it again changes nothing', async () => {
    const first = await importShop(handle.db, loadExample());
    expect(first).toEqual({
      customers: { inserted: 2, updated: 0, unchanged: 0 },
      products: { inserted: 3, updated: 0, unchanged: 0 },
      orders: { inserted: 2, updated: 0, unchanged: 0 },
      devices: { inserted: 2, updated: 0, unchanged: 0 },
    });
    const counts = await countShopRows(handle.db);
    expect(counts).toEqual({ customers: 2, products: 3, orders: 2, order_items: 3, order_status_events: 8, shipments: 1, devices: 2 });
    const updatedAt = await handle.db.selectFrom('orders').select(['number', 'updated_at', 'total_cents']).orderBy('number').execute();

    const second = await importShop(handle.db, loadExample());
    expect(second).toEqual({
      customers: { ...all, unchanged: 2 },
      products: { ...all, unchanged: 3 },
      orders: { ...all, unchanged: 2 },
      devices: { ...all, unchanged: 2 },
    });
    expect(await countShopRows(handle.db)).toEqual(counts);
    // Not even updated_at moves; the total of 200002 was computed from its items.
    expect(await handle.db.selectFrom('orders').select(['number', 'updated_at', 'total_cents']).orderBy('number').execute()).toEqual(updatedAt);
    expect(updatedAt.find((o) => o.number === '200002')?.total_cents).toBe(19_800);
  });

  test('a changed record is updated and an order’s items, timeline and shipments are replaced', async () => {
    const file = loadExample();
    at(file.customers, 1).plan = 'premium';
    at(file.orders, 1).status = 'packed';
    timeline(file, 1).push({ status: 'packed', at: '2026-03-11T09:00:00Z' });
    orderItems(file, 1).splice(0, 1, { sku: 'VL-USBC-CABLE-1M', quantity: 1, unitPriceCents: 1900 });
    const summary = await importShop(handle.db, file);
    expect(summary.customers).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(summary.orders).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(summary.products.updated + summary.devices.updated).toBe(0);
    const items = await handle.db.selectFrom('order_items').select(['line', 'sku']).where('order_number', '=', '200002').execute();
    expect(items).toEqual([{ line: 1, sku: 'VL-USBC-CABLE-1M' }]);
    const events = await handle.db.selectFrom('order_status_events').select('status').where('order_number', '=', '200002').orderBy('at').execute();
    expect(events.map((e) => e.status)).toEqual(['placed', 'paid', 'packed']);
  });

  test('orders may refer to customers and products already in the database', async () => {
    const summary = await importShop(handle.db, {
      orders: [{ ...at(loadExample().orders, 0), number: '200003', shipments: [] }],
    });
    expect(summary.orders).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  test.each<{ name: string; mutate: (file: Example) => void; path: string; message: RegExp }>([
    { name: 'an unknown SKU', mutate: (f) => void (at(orderItems(f, 1), 0).sku = 'XYZ'), path: 'orders[1].items[0].sku', message: /unknown product SKU "XYZ"/ },
    { name: 'a bad email', mutate: (f) => void (at(f.customers, 0).email = 'katherine@'), path: 'customers[0].email', message: /email/i },
    { name: 'a phone that is not E.164', mutate: (f) => void (at(f.customers, 0).phone = '415-555-0190'), path: 'customers[0].phone', message: /E\.164/ },
    { name: 'a phone number no country has', mutate: (f) => void (at(f.customers, 0).phone = '+10005550190'), path: 'customers[0].phone', message: /not a valid phone number/ },
    { name: 'a duplicate customer ID', mutate: (f) => void (at(f.customers, 1).id = 'C9001'), path: 'customers[1].id', message: /duplicate customer ID "C9001"/ },
    { name: 'a wrong status', mutate: (f) => void (at(f.orders, 0).status = 'lost'), path: 'orders[0].status', message: /^order 200001: Invalid option: .*"delivered".*; got "lost"$/ },
    { name: 'a wrong payment status', mutate: (f) => void (at(f.orders, 1).paymentStatus = 'comped'), path: 'orders[1].paymentStatus', message: /^order 200002: Invalid option: .*"refunded".*; got "comped"$/ },
    { name: 'a wrong timeline status', mutate: (f) => void (at(timeline(f, 0), 1).status = 'teleported'), path: 'orders[0].timeline[1].status', message: /^order 200001: .*got "teleported"$/ },
    { name: 'a timeline that goes backwards', mutate: (f) => void (at(timeline(f, 0), 2).at = '2026-03-01T00:00:00Z'), path: 'orders[0].timeline[2].at', message: /earlier than the previous/ },
    { name: 'a device of an unknown customer', mutate: (f) => void (at(f.devices as Array<Record<string, unknown>>, 1).customerId = 'C0000'), path: 'devices[1].customerId', message: /unknown customer ID "C0000"/ },
  ])('a file with $name is rejected naming the field, and nothing is written', async ({ mutate, path, message }) => {
    const before = await countShopRows(handle.db);
    const file = loadExample();
    // New records beside the bad one: they must not be written either.
    file.customers.push({ id: 'C9100', accountId: 'A790100', name: 'Mary Jackson', email: 'mary@example.org', plan: 'standard', preferredChannel: 'email' });
    mutate(file);
    const error = await importShop(handle.db, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SwitchboardError);
    const details = (error as SwitchboardError).details;
    expect((error as SwitchboardError).code).toBe('SB_ERR_IMPORT');
    expect(details).toContainEqual({ path, message: expect.stringMatching(message) as string });
    expect(await countShopRows(handle.db)).toEqual(before);
  });

  test('a large file reports progress per batch up to its total', async () => {
    const demo = generateDemoShop(new Date('2026-06-15T12:00:00Z'));
    const total = demo.customers.length + demo.products.length + demo.orders.length + demo.devices.length;
    const calls: Array<[number, number]> = [];
    const summary = await importShop(handle.db, JSON.parse(JSON.stringify(demo)), { onProgress: (done, t) => calls.push([done, t]) });
    expect(summary.orders.inserted).toBe(demo.orders.length);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every(([, t]) => t === total)).toBe(true);
    expect(calls.map(([done]) => done)).toEqual([...calls.map(([done]) => done)].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([total, total]);
  });
});
