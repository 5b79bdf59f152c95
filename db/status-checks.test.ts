import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CaseKindSchema, CaseStatusSchema } from '../core/case-status.js';
import { ConversationStatusSchema } from '../core/conversation.js';
import { OrderStatusSchema, PaymentStatusSchema } from '../core/order-status.js';
import { ReturnMethodSchema, ReturnResolutionSchema, ReturnStatusSchema } from '../core/return-status.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { STATUS_CHECKS as CHECKS_0006, statusCheckName } from './migrations/0006-status-checks.js';
import { CASE_STATUSES_0018 } from './migrations/0018-case-management.js';
import { DEMO_FIXTURES } from './shop/demo.js';
import { seedDemoShop } from './shop/seed.js';

/** The row each test changes (the cancellable order has one status event, so that one can change freely). */
const ROW: Readonly<Record<string, readonly [string, string]>> = {
  orders: ['number', DEMO_FIXTURES.cancellableOrder],
  order_status_events: ['order_number', DEMO_FIXTURES.cancellableOrder],
  returns: ['rma', 'RMA-CHECKS'],
  cases: ['id', 'CASE-CHECKS'],
  conversations: ['id', 'V-checks'],
};

/** Every status column and the union the code types it with. */
const COLUMNS = [
  { table: 'orders', column: 'status', values: OrderStatusSchema.options },
  { table: 'orders', column: 'payment_status', values: PaymentStatusSchema.options },
  { table: 'order_status_events', column: 'status', values: OrderStatusSchema.options },
  { table: 'returns', column: 'status', values: ReturnStatusSchema.options },
  { table: 'returns', column: 'resolution', values: ReturnResolutionSchema.options },
  { table: 'returns', column: 'method', values: ReturnMethodSchema.options },
  { table: 'cases', column: 'status', values: CaseStatusSchema.options },
  { table: 'cases', column: 'kind', values: CaseKindSchema.options },
  { table: 'conversations', column: 'status', values: ConversationStatusSchema.options },
] as const;
/** The checks as the migrations leave them: 0018 replaced the case statuses. */
const STATUS_CHECKS = CHECKS_0006.map((c) => (c.table === 'cases' && c.column === 'status' ? { ...c, values: CASE_STATUSES_0018 } : c));
const CASES = COLUMNS.map((c) => ({ ...c, name: `${c.table}.${c.column}` }));

test('the CHECK constraints list exactly the statuses the code knows', () => {
  expect(STATUS_CHECKS.map((c) => ({ ...c, values: [...c.values].sort() }))).toEqual(COLUMNS.map((c) => ({ ...c, values: [...c.values].sort() })));
});

describe.each(DATABASE_KINDS)('status columns on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db);
    // One row in each table the demo shop leaves empty.
    await handle.db.insertInto('contacts').values({ id: 'K-checks', customer_id: null, display_name: null }).execute();
    await handle.db.insertInto('conversations').values({ id: 'V-checks', contact_id: 'K-checks', channel: 'webchat', status: 'bot', priority: 0, issue_type: null, assignee_id: null }).execute();
    await handle.db.insertInto('cases').values({ id: 'CASE-CHECKS', customer_id: null, conversation_id: null, kind: 'delivery', status: 'open', summary: 'checks', details: '{}' }).execute();
    await handle.db
      .insertInto('returns')
      .values({
        rma: 'RMA-CHECKS',
        order_number: DEMO_FIXTURES.returnableOrder,
        customer_id: DEMO_FIXTURES.customerId,
        conversation_id: null,
        status: 'requested',
        resolution: 'refund',
        method: 'label',
        reason: 'changed_mind',
        items: '[]',
        refund_cents: 0,
        restocking_fee_cents: 0,
      })
      .execute();
  });
  afterAll(async () => {
    await handle.dispose();
  });

  /** Sets the column of one row of the table, as a hand-written script would. */
  const set = (table: string, column: string, value: string) => {
    const [key, id] = ROW[table] ?? ['', ''];
    return sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value} where ${sql.ref(key)} = ${id}`.execute(handle.db);
  };

  test('the cancellable order has exactly one status event', async () => {
    expect(await handle.db.selectFrom('order_status_events').select('status').where('order_number', '=', DEMO_FIXTURES.cancellableOrder).execute()).toEqual([{ status: 'placed' }]);
  });

  test.each(CASES)('$name refuses a status the code does not know, naming the constraint', async ({ table, column }) => {
    const error: unknown = await set(table, column, 'lost').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '23514' });
    expect(String((error as Error).message)).toContain(statusCheckName(table, column));
    const stored = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)} where ${sql.ref(column)} = 'lost'`.execute(handle.db);
    expect(stored.rows).toEqual([{ n: '0' }]);
  });

  test.each(CASES)('$name accepts every status the code knows', async ({ table, column, values }) => {
    for (const value of values) await set(table, column, value);
  });
});
