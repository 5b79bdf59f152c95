import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { OrderChanges } from './order-changes.js';
import { seedDemoShop } from './shop/seed.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const LATER = new Date(NOW.getTime() + 60_000);
const ADDRESS = { line1: '77 Elm Street', city: 'Portland', postalCode: '97205', country: 'US' };

describe.each(DATABASE_KINDS)('order changes (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let changes: OrderChanges;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db, NOW);
    changes = new OrderChanges(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const order = (number: string) => handle.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const events = (number: string) => handle.db.selectFrom('order_status_events').select('status').where('order_number', '=', number).execute();

  test("someone else's order is not found and stays exactly as it was", async () => {
    const before = await order('100236');
    expect(await changes.cancel({ orderNumber: '100236', customerId: 'C1002', at: LATER })).toEqual({ outcome: 'not_found' });
    expect(await changes.changeAddress({ orderNumber: '100236', customerId: 'C1002', address: ADDRESS, at: LATER })).toEqual({ outcome: 'not_found' });
    expect(await changes.shippingAddress('100236', 'C1002')).toBeNull();
    expect(await order('100236')).toEqual(before);
  });

  test('a shipped order is neither cancelled nor re-addressed', async () => {
    const before = await order('100234');
    expect(await changes.cancel({ orderNumber: '100234', customerId: 'C1001', at: LATER })).toEqual({ outcome: 'not_changeable', status: 'shipped' });
    expect(await changes.changeAddress({ orderNumber: '100234', customerId: 'C1001', address: ADDRESS, at: LATER })).toMatchObject({ outcome: 'not_changeable' });
    expect(await order('100234')).toEqual(before);
  });

  test('the address of an unshipped order changes without touching its status or timeline', async () => {
    const eventsBefore = await events('100236');
    const result = await changes.changeAddress({ orderNumber: '100236', customerId: 'C1001', address: ADDRESS, at: LATER });
    expect(result).toMatchObject({ outcome: 'changed', status: 'placed' });
    expect(await changes.shippingAddress('100236', 'C1001')).toEqual(ADDRESS);
    expect(await events('100236')).toEqual(eventsBefore);
  });

  test('two cancellations racing: exactly one wins and the timeline gets one event', async () => {
    const results = await Promise.all([
      changes.cancel({ orderNumber: '100236', customerId: 'C1001', at: LATER }),
      changes.cancel({ orderNumber: '100236', customerId: 'C1001', at: LATER }),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['changed', 'not_changeable']);
    expect(results.find((r) => r.outcome === 'changed')).toMatchObject({ status: 'cancelled', paymentStatus: 'failed' });
    expect((await events('100236')).filter((e) => e.status === 'cancelled')).toHaveLength(1);
    expect(await changes.changeAddress({ orderNumber: '100236', customerId: 'C1001', address: ADDRESS, at: LATER })).toEqual({
      outcome: 'not_changeable',
      status: 'cancelled',
    });
  });

  test('a paid order that the warehouse ships first is not cancelled', async () => {
    const paid = await handle.db.selectFrom('orders').select('number').where('status', '=', 'paid').where('payment_status', '=', 'paid').executeTakeFirstOrThrow();
    const owner = (await order(paid.number)).customer_id;
    await handle.db.updateTable('orders').set({ status: 'shipped' }).where('number', '=', paid.number).execute();
    expect(await changes.cancel({ orderNumber: paid.number, customerId: owner, at: LATER })).toEqual({ outcome: 'not_changeable', status: 'shipped' });
    expect((await order(paid.number)).payment_status).toBe('paid');
  });

  test('cancelling a paid order refunds it', async () => {
    const paid = await handle.db.selectFrom('orders').select(['number', 'customer_id']).where('status', '=', 'packed').where('payment_status', '=', 'paid').executeTakeFirstOrThrow();
    const result = await changes.cancel({ orderNumber: paid.number, customerId: paid.customer_id, at: LATER });
    expect(result).toMatchObject({ outcome: 'changed', status: 'cancelled', paymentStatus: 'refunded' });
  });
});
