import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { ReturnRepository, rmaNumberFor } from './returns.js';
import { DEMO_FIXTURES } from './shop/demo.js';
import { seedDemoShop } from './shop/seed.js';

describe.each(DATABASE_KINDS)('return repository (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: ReturnRepository;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db);
    repo = new ReturnRepository(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const request = (line: number, refundCents: number) => ({
    orderNumber: DEMO_FIXTURES.returnableOrder,
    customerId: DEMO_FIXTURES.customerId,
    conversationId: null,
    line: { line, sku: DEMO_FIXTURES.returnableSku, quantity: 1 },
    status: 'label_issued' as const,
    resolution: 'refund' as const,
    method: 'label' as const,
    reason: 'changed_mind',
    refundCents,
    restockingFeeCents: 0,
  });

  test('lists an order line with the product facts the policy needs', async () => {
    const lines = await repo.orderLines(DEMO_FIXTURES.returnableOrder);
    expect(lines[0]).toMatchObject({ sku: DEMO_FIXTURES.returnableSku, name: 'Voltline Buds ANC', category: 'headphones', returnWindowDays: 30, warrantyMonths: 24, finalSale: false, unitPriceCents: 17_900 });
  });

  test('two requests for the same order line at once make one return; the second gets the first one back', async () => {
    const lines = await repo.orderLines(DEMO_FIXTURES.returnableOrder);
    const line = lines[0]!.line;
    const [a, b] = await Promise.all([repo.createForLine(request(line, 17_900)), repo.createForLine(request(line, 1))]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.record.rma).toBe(b.record.rma);
    expect(a.record.rma).toMatch(/^RMA-[0-9A-HJKMNP-TV-Z]{8}$/);
    const rows = await handle.db.selectFrom('returns').selectAll().where('order_number', '=', DEMO_FIXTURES.returnableOrder).execute();
    expect(rows).toHaveLength(1);
    expect(await repo.forLine(DEMO_FIXTURES.returnableOrder, line)).toMatchObject({ items: [{ line, sku: DEMO_FIXTURES.returnableSku, quantity: 1 }] });
  });

  test('each order line has its own RMA number', () => {
    expect(rmaNumberFor('100235', 1)).not.toBe(rmaNumberFor('100235', 2));
    expect(rmaNumberFor('100235', 1)).not.toBe(rmaNumberFor('100236', 1));
  });

  test("a customer's returns are listed newest first, and a status change is kept", async () => {
    const [first] = await repo.forCustomer(DEMO_FIXTURES.customerId);
    await repo.setStatus(first!.rma, 'received');
    expect(await repo.get(first!.rma)).toMatchObject({ status: 'received' });
    expect(await repo.forCustomer(DEMO_FIXTURES.second.customerId)).toEqual([]);
  });
});
