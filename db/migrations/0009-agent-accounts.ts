import { sql, type Kysely } from 'kysely';

// The people who work conversations: agents, supervisors, admins (and editors, whose console
// comes later). A user signs in with an email and a password whose argon2id hash is all that is
// stored. Teams are names a conversation is routed to (`conversations.team`); a user belongs to
// any number of them. Roles are written out here, as the status checks are (0006): a role added
// later gets a migration of its own.
export const USER_ROLES = ['agent', 'supervisor', 'admin', 'editor'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('teams_name_check', sql`name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'`)
    .execute();
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Stored lower-cased and trimmed: one account per address, whatever the case typed. */
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    /** PHC string (`$argon2id$v=19$m=…`): algorithm, parameters and salt travel with the hash. */
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_role_check', sql`role in (${sql.join(USER_ROLES.map((r) => sql.lit(r)))})`)
    .addCheckConstraint('users_email_check', sql`email = lower(btrim(email)) and position('@' in email) > 1`)
    .addCheckConstraint('users_password_hash_check', sql`password_hash like '$argon2%'`)
    .execute();
  await db.schema
    .createTable('user_teams')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('team', 'text', (c) => c.notNull().references('teams.name').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_teams_pk', ['user_id', 'team'])
    .execute();
  // "Who is in this team" (routing, supervisors' views).
  await db.schema.createIndex('user_teams_team_idx').on('user_teams').column('team').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_teams').ifExists().execute();
  await db.schema.dropTable('users').ifExists().execute();
  await db.schema.dropTable('teams').ifExists().execute();
}
