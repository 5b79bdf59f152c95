import { sql, type Kysely } from 'kysely';

// The transactional outbox of conversations: effects a change decided (a one-time code, a
// confirmation email) are rows written in the same transaction as its events and run by a worker
// after the commit. The key is the change's first seq and the effect's place in it, so a retry
// of the worker finds the same row. The development outbox records that key too: an effect run
// again after a crash between the send and its `done` is recognised there, not shown twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_effects')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    /** Runs started; also the fencing token of the current claim. */
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    /** Set while a worker runs it; one older than the lease belongs to a worker that died. */
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .addPrimaryKeyConstraint('conversation_effects_pk', ['conversation_id', 'seq', 'idx'])
    .addCheckConstraint('conversation_effects_status_check', sql`status in ('pending', 'done', 'failed')`)
    .addCheckConstraint('conversation_effects_kind_check', sql`kind in ('notify')`)
    .addCheckConstraint('conversation_effects_attempts_check', sql`attempts >= 0`)
    .execute();
  await db.schema
    .createIndex('conversation_effects_pending_idx')
    .on('conversation_effects')
    .columns(['conversation_id', 'seq', 'idx'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.alterTable('outbox_messages').addColumn('effect_key', 'text').execute();
  await db.schema.createIndex('outbox_messages_effect_key_idx').unique().on('outbox_messages').column('effect_key').where(sql.ref('effect_key'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_messages_effect_key_idx').ifExists().execute();
  await db.schema.alterTable('outbox_messages').dropColumn('effect_key').execute();
  await db.schema.dropTable('conversation_effects').ifExists().execute();
}
