import { sql, type Kysely } from 'kysely';

// Operator-declared technical outages (db/incidents.ts): while one is open, the bot tells a
// customer troubleshooting an affected device that the problem is known instead of walking
// them through steps that cannot help. Families and SKUs are JSON arrays of names; an incident
// names at least one of either. Resolved incidents are kept for the record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    /** What the customer is told, from the operator (shown as text). */
    .addColumn('customer_message', 'text', (c) => c.notNull())
    .addColumn('families', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('skus', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('declared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('incidents_open').on('incidents').column('resolved_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incidents').ifExists().execute();
}
