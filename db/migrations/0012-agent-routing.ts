import { sql, type Kysely } from 'kysely';

// Routing (docs/agents.md, "Routing, presence and capacity"): what each user can take and whether
// they are there to take it. Skills and capacity are the user's own (set by supervisors);
// presence changes every few seconds (heartbeats), so it lives in a table of its own and a
// heartbeat never rewrites the users row. Presence statuses are written out here, as the roles
// are (0009): a status added later gets a migration of its own.
export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    /** Conversations routing may give this user at once (held + offered); 0: never offered any. */
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(2))
    /** Skills a conversation's triage may require (`vip`, `incident`): a JSON array of names. */
    .addColumn('skills', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`alter table users add constraint users_capacity_check check (capacity between 0 and 50)`.execute(db);
  await sql`alter table users add constraint users_skills_check check (jsonb_typeof(skills) = 'array')`.execute(db);
  await db.schema
    .createTable('agent_presence')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    /** What the agent chose; `online` counts as away once `last_seen_at` is older than AGENT_AWAY_AFTER_SECONDS. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** The console's last heartbeat or presence change. */
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    /** When `status` last changed (how long someone has been away). */
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('agent_presence_status_check', sql`status in (${sql.join(PRESENCE_STATUSES.map((s) => sql.lit(s)))})`)
    .execute();
  // "Who is online" (every routing round).
  await db.schema.createIndex('agent_presence_status_idx').on('agent_presence').columns(['status', 'last_seen_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_presence').ifExists().execute();
  await sql`alter table users drop constraint if exists users_skills_check, drop constraint if exists users_capacity_check, drop column if exists skills, drop column if exists capacity`.execute(db);
}
