import { sql, type Kysely } from 'kysely';

// Follow-ups of issue 12 (docs/profiles-and-cases.md "Satisfaction after a resolution" and
// "Reminders"):
// - case_csat: the satisfaction question asked when a case was resolved, one per resolution
//   (the resolving status_changed entry is unique), with its delivery and the answer;
// - case_reminders: a follow-up that fell due, shown to its owner in the console until dismissed;
// - case_timeline takes the new kinds (csat_requested, csat_rated, csat_commented).
const KINDS_BEFORE = ['created', 'field_changed', 'note', 'contact_associated', 'message_sent', 'attachment', 'status_changed', 'assigned', 'profile_linked', 'priority_changed', 'follow_up_scheduled', 'follow_up_due'];
const KINDS_AFTER = [...KINDS_BEFORE, 'csat_requested', 'csat_rated', 'csat_commented'];

async function timelineKinds(db: Kysely<unknown>, kinds: readonly string[]): Promise<void> {
  await sql`alter table case_timeline drop constraint if exists case_timeline_kind_check`.execute(db);
  await sql`alter table case_timeline add constraint case_timeline_kind_check check (kind in (${sql.join(kinds.map((k) => sql.lit(k)))}))`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_csat')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    /** The timeline entry of the resolution asked about: one question per resolution. */
    .addColumn('resolution_entry', 'bigint', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('transport', 'text', (c) => c.notNull().check(sql`transport in ('email', 'sms')`))
    /** Masked, as on case_deliveries: the job reads the address from the profile when it sends. */
    .addColumn('recipient', 'text', (c) => c.notNull())
    /** sha256 of the email's link token (the link itself is never stored). */
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sent', 'failed')`))
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'integer', (c) => c.check(sql`score between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('commented', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('rated_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_csat_case_idx').on('case_csat').columns(['case_id', 'asked_at']).execute();
  await db.schema.createIndex('case_csat_customer_idx').on('case_csat').columns(['customer_id', 'asked_at']).execute();

  await db.schema
    .createTable('case_reminders')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('follow_up_id', 'text', (c) => c.notNull().unique().references('case_follow_ups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('dismissed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_reminders_user_idx').on('case_reminders').columns(['user_id', 'dismissed_at']).execute();

  await timelineKinds(db, KINDS_AFTER);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from case_timeline where kind in ('csat_requested', 'csat_rated', 'csat_commented')`.execute(db);
  await timelineKinds(db, KINDS_BEFORE);
  await db.schema.dropTable('case_reminders').ifExists().execute();
  await db.schema.dropTable('case_csat').ifExists().execute();
}
