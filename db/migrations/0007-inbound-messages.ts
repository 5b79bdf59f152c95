import { sql, type Kysely } from 'kysely';

// A webhook is acknowledged once its messages are here and their processing jobs are queued, in
// one transaction: the provider stops retrying only when nothing can be lost. Jobs carry the key,
// never the text (failed jobs are shown to operators). A row lives until its turn has run; the
// primary key makes a provider's retry of a message still waiting a no-op. One sender's messages
// are taken in arrival order, so the bot reads them in the order the customer wrote them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    /** Arrival order; `received_at` ties within one webhook's batch. */
    .addColumn('arrival', 'bigserial', (c) => c.notNull())
    /** The normalized `ChannelInbound` (core/inbound.ts). */
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    /** Processing attempts started; also the fencing token of the current claim. */
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    /** Set while a worker runs the turn; one older than the lease belongs to a worker that died. */
    .addColumn('claimed_at', 'timestamptz')
    .addPrimaryKeyConstraint('inbound_messages_pk', ['channel', 'provider_message_id'])
    .addCheckConstraint('inbound_messages_attempts_check', sql`attempts >= 0`)
    .execute();
  // The worker's "oldest waiting message of this sender".
  await db.schema.createIndex('inbound_messages_sender_idx').on('inbound_messages').columns(['channel', 'sender_id', 'arrival']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_messages').ifExists().execute();
}
