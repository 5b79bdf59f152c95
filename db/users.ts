import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AgentProfile, UserRole } from '../core/agent-api.js';
import { SwitchboardError } from '../core/errors.js';
import { isUniqueViolation } from './errors.js';
import type { Database } from './schema.js';

/** A user as sign-in sees it: the profile and the stored hash to check a password against. */
export interface UserCredentials {
  profile: AgentProfile;
  passwordHash: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  teams: readonly string[];
  /** Already hashed (server/agent/passwords.ts): this repository never sees a password. */
  passwordHash: string;
  /** Skills and capacity from the start (the columns' defaults otherwise: none, 2). */
  routing?: Partial<RoutingSettings>;
}

/** What routing may give a user (`users.capacity`, `users.skills`, migration 0012). */
export interface RoutingSettings {
  /** Conversations at once, held + offered; 0: never offered any. */
  capacity: number;
  skills: string[];
}

/** Users, their teams, and the teams themselves. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates the user and any team they name that does not exist yet. SB_ERR_CONFLICT when the email is taken. */
  async create(user: NewUser): Promise<AgentProfile> {
    const id = randomUUID();
    const teams = [...new Set(user.teams)].sort();
    try {
      await this.db.transaction().execute(async (trx) => {
        if (teams.length > 0) {
          await trx
            .insertInto('teams')
            .values(teams.map((name) => ({ name })))
            .onConflict((oc) => oc.column('name').doNothing())
            .execute();
        }
        await trx.insertInto('users').values({ id, email: user.email, display_name: user.name, role: user.role, password_hash: user.passwordHash, password_changed_at: new Date() }).execute();
        if (teams.length > 0) await trx.insertInto('user_teams').values(teams.map((team) => ({ user_id: id, team }))).execute();
        if (user.routing !== undefined) await updateRouting(trx, id, user.routing);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new SwitchboardError('SB_ERR_CONFLICT', 'A user with this email already exists');
      throw error;
    }
    return { id, email: user.email, name: user.name, role: user.role, teams };
  }

  /**
   * Creates every user of the list in one transaction unless one of their emails already exists
   * (then nothing, false). Under an advisory lock, so two instances starting together create them once.
   */
  async createAllOnce(users: readonly NewUser[]): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7210044)`.execute(trx);
      const existing = await trx.selectFrom('users').select('id').where('email', 'in', users.map((u) => u.email)).executeTakeFirst();
      if (existing !== undefined) return false;
      const teams = [...new Set(users.flatMap((u) => u.teams))].sort();
      if (teams.length > 0) await trx.insertInto('teams').values(teams.map((name) => ({ name }))).onConflict((oc) => oc.column('name').doNothing()).execute();
      for (const user of users) {
        const id = randomUUID();
        await trx.insertInto('users').values({ id, email: user.email, display_name: user.name, role: user.role, password_hash: user.passwordHash, password_changed_at: new Date() }).execute();
        if (user.teams.length > 0) await trx.insertInto('user_teams').values([...new Set(user.teams)].map((team) => ({ user_id: id, team }))).execute();
      }
      return true;
    });
  }

  async byEmail(email: string): Promise<UserCredentials | null> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    if (row === undefined) return null;
    return { profile: { id: row.id, email: row.email, name: row.display_name, role: row.role, teams: await this.teamsOf(row.id) }, passwordHash: row.password_hash };
  }

  /** The user behind a session, with when their password last changed (sessions older than that are void). */
  async account(id: string): Promise<{ profile: AgentProfile; passwordChangedAt: Date } | null> {
    const row = await this.db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'password_changed_at']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    return {
      profile: { id: row.id, email: row.email, name: row.display_name, role: row.role, teams: await this.teamsOf(row.id) },
      passwordChangedAt: new Date(row.password_changed_at),
    };
  }

  /** Display names of the given users (agents named in a transcript or the queue). */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Replaces the hash; returns false for an unknown user. */
  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ password_hash: passwordHash, password_changed_at: new Date() }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async routingSettings(userId: string): Promise<RoutingSettings | null> {
    // Raw SQL: the columns came with migration 0012, which db/schema.ts does not describe yet.
    const rows = await sql<{ capacity: number; skills: unknown }>`select capacity, skills from users where id = ${userId}`.execute(this.db);
    const row = rows.rows[0];
    return row === undefined ? null : { capacity: row.capacity, skills: Array.isArray(row.skills) ? row.skills.filter((s): s is string => typeof s === 'string') : [] };
  }

  /** Changes what routing may give the user (what is not given stays); false for an unknown user. */
  async setRoutingSettings(userId: string, settings: Partial<RoutingSettings>): Promise<boolean> {
    return updateRouting(this.db, userId, settings);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async teamsOf(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('user_teams').select('team').where('user_id', '=', userId).orderBy('team').execute();
    return rows.map((r) => r.team);
  }
}

async function updateRouting(db: Kysely<Database>, userId: string, settings: Partial<RoutingSettings>): Promise<boolean> {
  const capacity = settings.capacity ?? null;
  const skills = settings.skills === undefined ? null : JSON.stringify([...new Set(settings.skills)].sort());
  const result = await sql`update users set capacity = coalesce(${capacity}::integer, capacity), skills = coalesce(${skills}::jsonb, skills) where id = ${userId}`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}
