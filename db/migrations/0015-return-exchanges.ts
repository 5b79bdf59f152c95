import { sql, type Kysely } from 'kysely';

// An exchange for another model or colour of the same kind of product (issue 10): the product
// sent instead, and the price difference it settles. Positive: the customer pays it; negative: it
// is refunded (refund_cents holds the refund). Null for a refund or a like-for-like exchange.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('returns')
    .addColumn('exchange_sku', 'text', (c) => c.references('products.sku'))
    .addColumn('exchange_difference_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table returns add constraint returns_exchange_sku_check check (exchange_sku is null or resolution = 'exchange')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('returns').dropConstraint('returns_exchange_sku_check').ifExists().execute();
  await db.schema.alterTable('returns').dropColumn('exchange_difference_cents').dropColumn('exchange_sku').execute();
}
