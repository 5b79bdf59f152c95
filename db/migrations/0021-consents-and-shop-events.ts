import { sql, type Kysely } from 'kysely';

// Proactive order updates (docs/channels.md, "Proactive order updates and consent"): what each
// customer agreed to be told on which channel (append-only, with time and source, so consent can
// be shown later), the order events the shop reported (unique per order + event: the shop's
// retries store one), and the notice each event produced (one per event, its delivery state).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_consents')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('conversation', 'admin')`))
    .addColumn('conversation_id', 'text')
    .execute();
  await db.schema.createIndex('customer_consents_latest_idx').on('customer_consents').columns(['customer_id', 'channel', 'at']).execute();

  await db.schema
    .createTable('shop_events')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text', (c) => c.notNull().references('orders.number').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('shipped', 'out_for_delivery', 'delayed', 'delivered')`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('webhook', 'import')`))
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('proactive_notices')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey().references('shop_events.idempotency_key').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('channel', 'text')
    /** Masked, as on outbound_notifications. */
    .addColumn('recipient', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('held', 'queued', 'sent', 'failed', 'skipped')`))
    .addColumn('reason', 'text')
    .addColumn('send_after', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('via', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('proactive_notices_due_idx').on('proactive_notices').columns(['status', 'send_after']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('proactive_notices').ifExists().execute();
  await db.schema.dropTable('shop_events').ifExists().execute();
  await db.schema.dropTable('customer_consents').ifExists().execute();
}
