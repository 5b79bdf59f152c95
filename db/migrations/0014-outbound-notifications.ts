import { sql, type Kysely } from 'kysely';

// The outbound row of each email and SMS a conversation decided (a one-time code, a reset link,
// a confirmation), written with the effect that sends it: where it stands (queued, sent,
// failed), which transport carried it, the provider's id, and why the last attempt failed.
// The recipient is stored masked (a***@example.com, +1******0100) and the text not at all: the
// effect's payload already holds what must be sent, and this table is for reading.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbound_notifications')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    /** smtp, twilio or dev-outbox, once one took it. */
    .addColumn('via', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    /** A reason code (unavailable, rejected, …), never the provider's text: it may quote the address. */
    .addColumn('last_error', 'text')
    /** The provider's code for it: an SMTP reply (550) or a Twilio error (21211). */
    .addColumn('provider_code', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('outbound_notifications_pk', ['conversation_id', 'seq', 'idx'])
    .addForeignKeyConstraint('outbound_notifications_effect_fk', ['conversation_id', 'seq', 'idx'], 'conversation_effects', ['conversation_id', 'seq', 'idx'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('outbound_notifications_status_check', sql`status in ('queued', 'sent', 'failed')`)
    .addCheckConstraint('outbound_notifications_transport_check', sql`transport in ('email', 'sms')`)
    .addCheckConstraint('outbound_notifications_attempts_check', sql`attempts >= 0`)
    .execute();
  // Operators look for what is failing or stuck.
  await db.schema.createIndex('outbound_notifications_status_idx').on('outbound_notifications').columns(['status', 'updated_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbound_notifications').ifExists().execute();
}
