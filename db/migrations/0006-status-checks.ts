import { sql, type Kysely } from 'kysely';

// Status columns accept only the statuses the code knows (core/*-status.ts, core/conversation.ts):
// a typo in an operations script or a hand-written import is refused by the database instead of
// becoming an order no flow can describe. The lists are written out, not imported: a migration
// records what the schema was when it ran, and a status added later gets a migration of its own
// (db/status-checks.test.ts fails until the two agree).
export const STATUS_CHECKS: ReadonlyArray<{ table: string; column: string; values: readonly string[] }> = [
  { table: 'orders', column: 'status', values: ['placed', 'paid', 'packed', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned'] },
  { table: 'orders', column: 'payment_status', values: ['pending', 'paid', 'failed', 'refunded', 'partially_refunded'] },
  { table: 'order_status_events', column: 'status', values: ['placed', 'paid', 'packed', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned'] },
  { table: 'returns', column: 'status', values: ['requested', 'label_issued', 'in_transit', 'received', 'refunded', 'exchanged', 'rejected'] },
  { table: 'returns', column: 'resolution', values: ['refund', 'exchange'] },
  { table: 'returns', column: 'method', values: ['label', 'drop_off'] },
  { table: 'cases', column: 'status', values: ['open', 'pending', 'closed'] },
  { table: 'cases', column: 'kind', values: ['repair', 'warranty', 'refund_request', 'payment', 'delivery', 'order_change', 'handoff'] },
  { table: 'conversations', column: 'status', values: ['bot', 'queued', 'assigned', 'resolved'] },
];

/** `orders_status_check`: the name an error about a refused row carries. */
export function statusCheckName(table: string, column: string): string {
  return `${table}_${column}_check`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { table, column, values } of STATUS_CHECKS) {
    // Validated against existing rows too: a deployment holding a status the code doesn't know
    // fails here, naming the constraint, rather than keeping a row no flow can handle.
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(statusCheckName(table, column))}
      check (${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))}))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table, column } of STATUS_CHECKS) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.ref(statusCheckName(table, column))}`.execute(db);
  }
}
