import { sql, type Kysely } from 'kysely';

// Tables for self-service: returns (RMAs), support cases, knowledge-base versions and feedback.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('returns')
    .addColumn('rma', 'text', (c) => c.primaryKey())
    .addColumn('order_number', 'text', (c) => c.notNull().references('orders.number'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('conversation_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('refund_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('restocking_fee_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('returns_order_idx').on('returns').column('order_number').execute();
  await db.schema.createIndex('returns_customer_idx').on('returns').column('customer_id').execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('conversation_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('cases_customer_idx').on('cases').column('customer_id').execute();

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('kb_article_versions')
    .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The article's Markdown with its front matter, exactly as the editor saved it. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('kb_article_versions_pk', ['article_id', 'version'])
    .execute();

  await db.schema
    .createTable('kb_feedback')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('helpful', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('kb_feedback_article_idx').on('kb_feedback').column('article_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['kb_feedback', 'kb_article_versions', 'kb_articles', 'cases', 'returns']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
