import { sql, type Kysely } from 'kysely';

// Replies become rows with a delivery state, so a failed send is retried or reported instead
// of dropped, and the provider's status reports find their message. The job queue (pg-boss)
// installs and migrates its own tables in the `pgboss` schema; nothing of it is here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbound_messages')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    /** The seq of the `said` event this row delivers. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('outbound_messages_pk', ['conversation_id', 'seq'])
    .addCheckConstraint('outbound_messages_status_check', sql`status in ('queued', 'sent', 'delivered', 'read', 'failed')`)
    .addCheckConstraint('outbound_messages_author_check', sql`author in ('bot', 'agent')`)
    .addCheckConstraint('outbound_messages_attempts_check', sql`attempts >= 0`)
    .execute();
  // Status reports arrive with the provider's id only. Per channel: two providers' ids may collide.
  await db.schema
    .createIndex('outbound_messages_provider_id_idx')
    .unique()
    .on('outbound_messages')
    .columns(['channel', 'provider_message_id'])
    .where(sql.ref('provider_message_id'), 'is not', null)
    .execute();
  // The delivery worker's head-of-conversation look-up and the restart sweep read only queued rows.
  await db.schema
    .createIndex('outbound_messages_queued_idx')
    .on('outbound_messages')
    .columns(['conversation_id', 'seq'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbound_messages').ifExists().execute();
}
