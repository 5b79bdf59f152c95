import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { seedDemoShop } from '../db/shop/seed.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { customerRecordSources, VerifiedCustomer } from './verified-customer.js';

const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
const MISSING_ORDER = '199999';
const MISSING_SERIAL = 'CAM360-999999';

describe.each(DATABASE_KINDS)('a verified customer sees only their own records (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let ada: VerifiedCustomer;
  let grace: VerifiedCustomer;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db);
    const sources = customerRecordSources(handle.db);
    ada = new VerifiedCustomer(sources, ADA.customerId, []);
    grace = new VerifiedCustomer(sources, GRACE.customerId, []);
    // Ada has a return and a case, so "Grace sees none" is about scoping, not about empty tables.
    const [line] = await ada.orderLines(ADA.returnableOrder);
    await ada.createReturn({
      orderNumber: ADA.returnableOrder,
      conversationId: null,
      line: { line: line!.line, sku: line!.sku, quantity: 1 },
      status: 'requested',
      resolution: 'refund',
      method: 'drop_off',
      reason: 'changed_mind',
      refundCents: line!.unitPriceCents,
      restockingFeeCents: 0,
    });
    await sources.cases.open({ customerId: ADA.customerId, conversationId: null, kind: 'delivery', summary: 'trace', details: { orderNumber: ADA.shippedOrder } });
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test.each<{ record: string; read: (c: VerifiedCustomer, key: string) => Promise<unknown>; adas: string; missing: string }>([
    { record: 'an order', read: (c, n) => c.order(n), adas: ADA.shippedOrder, missing: MISSING_ORDER },
    { record: "an order's delivery address", read: (c, n) => c.shippingAddress(n), adas: ADA.cancellableOrder, missing: MISSING_ORDER },
    { record: 'a device', read: (c, s) => c.device(s), adas: ADA.offlineCameraSerial, missing: MISSING_SERIAL },
    { record: 'a return', read: (c, n) => c.returnOf(n, 1), adas: ADA.returnableOrder, missing: MISSING_ORDER },
  ])("Grace reading Ada's $record gets null, exactly as for one that doesn't exist", async ({ read, adas, missing }) => {
    expect(await read(ada, adas)).not.toBeNull();
    expect(await read(grace, adas)).toBeNull();
    expect(await read(grace, missing)).toBeNull();
  });

  test("the lines of Ada's order are empty for Grace, as for a missing order", async () => {
    expect(await ada.orderLines(ADA.returnableOrder)).not.toEqual([]);
    expect(await grace.orderLines(ADA.returnableOrder)).toEqual([]);
    expect(await grace.orderLines(MISSING_ORDER)).toEqual([]);
  });

  test("Grace's lists hold none of Ada's orders, returns, devices or cases", async () => {
    const [orders, returns, devices, cases, bought] = await Promise.all([grace.orders(50), grace.returns(), grace.devices(), grace.cases(), grace.purchasedProducts()]);
    expect(orders.map((o) => o.number)).toEqual(expect.arrayContaining([...GRACE.orders]));
    expect(orders.map((o) => o.number)).not.toEqual(expect.arrayContaining([ADA.shippedOrder]));
    expect(returns).toEqual([]);
    expect(cases).toEqual([]);
    expect(devices.map((d) => d.serial)).not.toContain(ADA.offlineCameraSerial);
    expect(devices.every((d) => d.customer_id === GRACE.customerId)).toBe(true);
    expect(bought.map((b) => b.orderNumber).filter((n) => (ADA.orders as readonly string[]).includes(n))).toEqual([]);
    // …and Ada's lists do hold them.
    expect((await ada.returns()).map((r) => r.orderNumber)).toEqual([ADA.returnableOrder]);
    expect(await ada.cases()).toHaveLength(1);
  });

  test("Grace can neither cancel nor re-address Ada's order: the same not_found as a missing one, and nothing changes", async () => {
    const before = await ada.order(ADA.cancellableOrder);
    const at = new Date();
    expect(await grace.cancelOrder(ADA.cancellableOrder, at)).toEqual({ outcome: 'not_found' });
    expect(await grace.cancelOrder(MISSING_ORDER, at)).toEqual({ outcome: 'not_found' });
    const address = { line1: '1 Evil Way', city: 'Nowhere', postalCode: '00000', country: 'US' };
    expect(await grace.changeAddress(ADA.cancellableOrder, address, at)).toEqual({ outcome: 'not_found' });
    expect(await ada.order(ADA.cancellableOrder)).toEqual(before);
    expect(await ada.shippingAddress(ADA.cancellableOrder)).not.toEqual(address);
  });

  test("Grace cannot create a return on Ada's order line, and no row is written", async () => {
    const rows = () => handle.db.selectFrom('returns').select('rma').execute();
    const count = (await rows()).length;
    await expect(
      grace.createReturn({
        orderNumber: ADA.setupOrder,
        conversationId: null,
        line: { line: 1, sku: 'VL-MESH-PRO', quantity: 1 },
        status: 'requested',
        resolution: 'refund',
        method: 'drop_off',
        reason: 'changed_mind',
        refundCents: 1,
        restockingFeeCents: 0,
      }),
    ).rejects.toThrow(/verified customer/);
    expect(await rows()).toHaveLength(count);
  });

  test("Grace's warranty look-up does not find Ada's purchase", async () => {
    const now = new Date();
    expect(await ada.warranty({ sku: 'VL-MESH-PRO', orderNumber: ADA.setupOrder, now })).not.toBeNull();
    expect(await grace.warranty({ sku: 'VL-MESH-PRO', orderNumber: ADA.setupOrder, now })).toBeNull();
  });
});
