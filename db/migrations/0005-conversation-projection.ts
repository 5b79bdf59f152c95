import { sql, type Kysely } from 'kysely';

// The `conversations` row becomes the projection of the conversation's event log, written in the
// same statement as the events it folds (db/event-writer.ts): who holds it, where replies go,
// since when the customer waits, and the seq it reflects. Before this, `status` was written after
// the events in a statement of its own, so a crash in between left the two disagreeing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('team', 'text')
    /** The seq of the last event folded into this row (-1: none yet). */
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(-1))
    /** The channel and the customer's id on it that replies go to (agent replies, jobs). */
    .addColumn('reply_channel', 'text')
    .addColumn('reply_identity', 'text')
    .addColumn('waiting_since', 'timestamptz')
    .execute();

  // Existing rows: the log is the truth. The status of its last status_changed wins over a column
  // that may have missed it; replies go to the identity the conversation was opened from.
  await sql`
    update conversations c set
      last_seq = coalesce((select max(e.seq) from conversation_events e where e.conversation_id = c.id), -1),
      status = coalesce(
        (select e.payload->>'to' from conversation_events e
          where e.conversation_id = c.id and e.type = 'status_changed' order by e.seq desc limit 1),
        c.status),
      reply_channel = c.channel,
      reply_identity = (select i.sender_id from contact_identities i
        where i.contact_id = c.contact_id and i.channel = c.channel order by i.created_at limit 1)`.execute(db);

  await sql`alter table conversations add constraint conversations_last_seq_check check (last_seq >= -1)`.execute(db);
  // One open conversation per contact and channel. The per-sender lock used to guarantee it;
  // routes are now resolved before any lock is taken (the lock is the conversation's).
  await db.schema
    .createIndex('conversations_open_idx')
    .unique()
    .on('conversations')
    .columns(['contact_id', 'channel'])
    .where(sql.ref('status'), '<>', 'resolved')
    .execute();
  // The agents' queue: who waits longest, per team.
  await db.schema.createIndex('conversations_waiting_idx').on('conversations').columns(['team', 'waiting_since']).where(sql.ref('waiting_since'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('conversations_waiting_idx').ifExists().execute();
  await db.schema.dropIndex('conversations_open_idx').ifExists().execute();
  await sql`alter table conversations drop constraint if exists conversations_last_seq_check`.execute(db);
  for (const column of ['waiting_since', 'reply_identity', 'reply_channel', 'last_seq', 'team']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
}
