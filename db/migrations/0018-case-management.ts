import { sql, type Kysely } from 'kysely';

// Case management (issue 12, docs/profiles-and-cases.md "Cases").
// - cases gain the template they were opened from (id + version), category, priority, team,
//   assignee, the template's field values and a tsvector for keyword search (GIN-indexed; kept
//   by crm/case-search.ts on every change, since it spans the timeline too).
// - Statuses become new/open/pending_customer/pending_third_party/resolved/closed: the old
//   `pending` (waiting for the customer) becomes pending_customer.
// - case_timeline: everything that happened to a case, with who and when.
// - case_profiles: the profiles a case concerns, each with a role and whether they are notified.
// - case_contacts: conversations associated with a case (one conversation may be in several).
// - case_deliveries: the per-recipient rows of a broadcast (durable, sent by a job).
// - case_follow_ups: scheduled check-ins (a durable job each).
// Existing rows move onto the starter templates (crm/case-templates.yaml as of this migration):
// their details become fields, their customer the primary profile, their conversation a contact.

/** The case statuses as of this migration (db/status-checks.test.ts compares with the code). */
export const CASE_STATUSES_0018 = ['new', 'open', 'pending_customer', 'pending_third_party', 'resolved', 'closed'] as const;

/** Which starter template each bot case kind landed on, as the shipped templates said when this ran. */
const STARTER_TEMPLATES: ReadonlyArray<{ kinds: readonly string[]; template: string; category: string; team: string; priority: string }> = [
  { kinds: ['repair', 'warranty'], template: 'device-fault', category: 'device', team: 'technical', priority: 'normal' },
  { kinds: ['delivery'], template: 'delivery-complaint', category: 'delivery', team: 'general', priority: 'high' },
  { kinds: ['refund_request', 'payment'], template: 'billing-dispute', category: 'payment', team: 'general', priority: 'high' },
  { kinds: ['handoff'], template: 'connectivity-problem', category: 'connectivity', team: 'technical', priority: 'normal' },
  { kinds: ['order_change'], template: 'return-exception', category: 'returns', team: 'returns', priority: 'normal' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases drop constraint if exists cases_status_check`.execute(db);
  await sql`update cases set status = 'pending_customer' where status = 'pending'`.execute(db);
  await sql`alter table cases add constraint cases_status_check check (status in (${sql.join(CASE_STATUSES_0018.map((s) => sql.lit(s)))}))`.execute(db);

  await db.schema
    .alterTable('cases')
    .addColumn('template_id', 'text')
    .addColumn('template_version', 'integer')
    .addColumn('category', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal').check(sql`priority in ('urgent', 'high', 'normal', 'low')`))
    .addColumn('team', 'text')
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('search', sql`tsvector`)
    .execute();
  await sql`create index cases_search_gin on cases using gin (search)`.execute(db);
  await db.schema.createIndex('cases_team_idx').on('cases').column('team').execute();

  await db.schema
    .createTable('case_timeline')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    /** An agent's id, 'bot' or 'system'. */
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('created', 'field_changed', 'note', 'contact_associated', 'message_sent', 'attachment', 'status_changed', 'assigned', 'profile_linked', 'priority_changed', 'follow_up_scheduled', 'follow_up_due')`),
    )
    /** What keyword search reads (a note, an attachment's title, a message). */
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('case_timeline_case_idx').on('case_timeline').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('case_profiles')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('primary', 'affected', 'cc')`))
    .addColumn('notify', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_profiles_pk', ['case_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('case_profiles_customer_idx').on('case_profiles').column('customer_id').execute();

  await db.schema
    .createTable('case_contacts')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_contacts_pk', ['case_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('case_contacts_conversation_idx').on('case_contacts').column('conversation_id').execute();

  await db.schema
    .createTable('case_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('broadcast_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    /** Masked, as outbound rows show recipients. */
    .addColumn('recipient', 'text', (c) => c.notNull())
    /** The update as sent (the job's payload carries only the row's id). */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sent', 'failed')`))
    .addColumn('reason', 'text')
    .addColumn('via', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('case_deliveries_once', ['broadcast_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('case_deliveries_case_idx').on('case_deliveries').columns(['case_id', 'created_at']).execute();
  await db.schema.createIndex('case_deliveries_customer_idx').on('case_deliveries').column('customer_id').execute();

  await db.schema
    .createTable('case_follow_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('notify_customer', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Existing rows onto the starter templates.
  for (const t of STARTER_TEMPLATES) {
    await sql`update cases set template_id = ${t.template}, template_version = 1, category = ${t.category}, team = ${t.team}, priority = ${t.priority},
      fields = case when details ? 'serial' then details || jsonb_build_object('serialNumber', details->'serial')
        when details ? 'reason' and kind = 'refund_request' then details || jsonb_build_object('dispute', details->'reason') else details end
      where kind in (${sql.join(t.kinds.map((k) => sql.lit(k)))})`.execute(db);
  }
  await sql`insert into case_timeline (case_id, at, actor, kind, text, data)
    select id, created_at, 'bot', 'created', summary, jsonb_build_object('template', template_id, 'version', template_version) from cases`.execute(db);
  await sql`insert into case_profiles (case_id, customer_id, role, notify, added_by, added_at)
    select id, customer_id, 'primary', true, 'system', created_at from cases where customer_id is not null on conflict do nothing`.execute(db);
  await sql`insert into case_contacts (case_id, conversation_id, at, by)
    select c.id, c.conversation_id, c.created_at, 'bot' from cases c join conversations v on v.id = c.conversation_id on conflict do nothing`.execute(db);
  await sql`update cases c set search =
      setweight(to_tsvector('english', c.id), 'A') ||
      setweight(to_tsvector('english', c.summary || ' ' || coalesce((select string_agg(value, ' ') from jsonb_each_text(c.fields)), '')), 'B') ||
      setweight(to_tsvector('english', coalesce((select string_agg(t.text, ' ') from case_timeline t where t.case_id = c.id and t.kind <> 'created'), '')), 'C')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['case_follow_ups', 'case_deliveries', 'case_contacts', 'case_profiles', 'case_timeline']) await db.schema.dropTable(table).ifExists().execute();
  await sql`drop index if exists cases_search_gin`.execute(db);
  await sql`drop index if exists cases_team_idx`.execute(db);
  for (const column of ['template_id', 'template_version', 'category', 'priority', 'team', 'assignee_id', 'fields', 'search']) {
    await sql`alter table cases drop column if exists ${sql.ref(column)}`.execute(db);
  }
  await sql`alter table cases drop constraint if exists cases_status_check`.execute(db);
  await sql`update cases set status = case when status in ('new', 'open') then 'open' when status in ('pending_customer', 'pending_third_party') then 'pending' else 'closed' end`.execute(db);
  await sql`alter table cases add constraint cases_status_check check (status in ('open', 'pending', 'closed'))`.execute(db);
}
