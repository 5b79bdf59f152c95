import { sql, type Kysely } from 'kysely';

// Customer profiles (issue 12, docs/profiles-and-cases.md).
// - customer_contacts: every email and phone a profile can be reached at, normalized (lower-case
//   email, E.164 phone), with `shared` for a household landline several profiles hold. The primary
//   contact stays in customers.email/phone (what the shop import writes); it is backfilled here and
//   the look-up (crm/contact-lookup.ts) reads both, so an import never leaves a profile unfindable.
// - customer_profile_fields: the values of the configurable extra fields (crm/profile-fields.yaml),
//   a jsonb per customer in a table of its own so a shop import rewriting customers keeps them.
// - customers.email stays NOT NULL (every flow reads it as a string): a profile created with a
//   phone only stores '' there, and '' is never a contact (no customer_contacts row, never matched).
// - profile_associations: conversations an agent associated with a profile (its contact history).
// - profile_merges: the audit trail of merges (who, when, from, into, what moved).
// - Fuzzy name search: pg_trgm over lower(unaccent(name)), through an IMMUTABLE wrapper because
//   unaccent() itself is only STABLE and an index expression must be immutable.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create or replace function sb_name_key(text) returns text language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
  await sql`create index customers_name_trgm on customers using gin (sb_name_key(name) gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('customer_profile_fields')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index customers_email_lower on customers (lower(email))`.execute(db);
  await sql`create index customers_account_id on customers (account_id)`.execute(db);

  await db.schema
    .createTable('customer_contacts')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('email', 'phone')`))
    /** Lower-case email or E.164 phone. */
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('shared', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('customer_contacts_pk', ['customer_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('customer_contacts_value').on('customer_contacts').columns(['kind', 'value']).execute();
  await sql`insert into customer_contacts (customer_id, kind, value)
    select id, 'email', lower(email) from customers where email <> ''
    union all
    select id, 'phone', phone from customers where phone is not null
    on conflict do nothing`.execute(db);

  // An agent's association of a conversation with a profile. Not contacts.customer_id: that link
  // means the channel identity proved to be the customer (a code sent to the chat verifies them,
  // handoff/agent-verification.ts), and an agent's choice proves nothing.
  await db.schema
    .createTable('profile_associations')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('associated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('profile_associations_pk', ['customer_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('profile_associations_conversation').on('profile_associations').columns(['conversation_id']).execute();

  await db.schema
    .createTable('profile_merges')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    /** The profile that was merged away (no foreign key: it no longer exists). */
    .addColumn('from_customer_id', 'text', (c) => c.notNull())
    .addColumn('into_customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('merged_by', 'text', (c) => c.notNull().references('users.id'))
    /** The merged-away profile as it was, and the counts of what moved. */
    .addColumn('from_snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('moved', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('profile_merges_into').on('profile_merges').columns(['into_customer_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('profile_merges').ifExists().execute();
  await db.schema.dropTable('profile_associations').ifExists().execute();
  await db.schema.dropTable('customer_contacts').ifExists().execute();
  await sql`drop index if exists customers_account_id`.execute(db);
  await sql`drop index if exists customers_email_lower`.execute(db);
  await sql`drop index if exists customers_name_trgm`.execute(db);
  await db.schema.dropTable('customer_profile_fields').ifExists().execute();
  await sql`drop function if exists sb_name_key(text)`.execute(db);
}
