import type { Kysely } from 'kysely';

// Attempt counters that must outlive a restart and be shared by every instance (verification
// failures per order, customer, claimed email/phone and client IP; codes sent per customer).
// The state backend is in-process memory in the embedded deployment, so they live here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('throttle_counters')
    /** `<purpose>:<subject kind>:<id or keyed hash>`; never an email, phone or IP in clear. */
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    /** End of the fixed window that started at the first hit; a later hit restarts it. */
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('throttle_counters_expires_idx').on('throttle_counters').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('throttle_counters').ifExists().execute();
}
