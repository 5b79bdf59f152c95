import { sql, type Kysely } from 'kysely';
import type { PresenceStatus } from '../core/agent-api.js';
import type { Database } from './schema.js';

/** A user's presence as stored: what they chose and when their console was last heard from. */
export interface StoredPresence {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: Date;
  changedAt: Date;
}

import type { RoutingSettings } from './users.js';

interface PresenceRow {
  user_id: string;
  status: PresenceStatus;
  last_seen_at: Date | string;
  changed_at: Date | string;
}

/**
 * Presence of console users (`agent_presence`, migration 0012); their routing settings are the users' own (db/users.ts).
 * Every write is one statement (an upsert), so two instances handling the same agent's
 * heartbeat and presence change at once leave one consistent row.
 */
export class AgentPresenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets what the user chose; `changed_at` moves only when the status does. */
  async set(userId: string, status: PresenceStatus, now: Date): Promise<StoredPresence> {
    const at = now.toISOString();
    const rows = await sql<PresenceRow>`
      insert into agent_presence (user_id, status, last_seen_at, changed_at) values (${userId}, ${status}, ${at}::timestamptz, ${at}::timestamptz)
      on conflict (user_id) do update set status = excluded.status, last_seen_at = excluded.last_seen_at,
        changed_at = case when agent_presence.status = excluded.status then agent_presence.changed_at else excluded.changed_at end
      returning *`.execute(this.db);
    return toPresence(rows.rows[0]!);
  }

  /**
   * The console is open and its user active: refreshes `last_seen_at` (an `online` agent past
   * the away threshold counts as online again). A user without a row starts `online`: opening
   * the console is saying "I'm here".
   */
  async heartbeat(userId: string, now: Date): Promise<StoredPresence> {
    const at = now.toISOString();
    const rows = await sql<PresenceRow>`
      insert into agent_presence (user_id, status, last_seen_at, changed_at) values (${userId}, 'online', ${at}::timestamptz, ${at}::timestamptz)
      on conflict (user_id) do update set last_seen_at = greatest(agent_presence.last_seen_at, excluded.last_seen_at)
      returning *`.execute(this.db);
    return toPresence(rows.rows[0]!);
  }

  async of(userId: string): Promise<StoredPresence | null> {
    const rows = await sql<PresenceRow>`select * from agent_presence where user_id = ${userId}`.execute(this.db);
    return rows.rows[0] === undefined ? null : toPresence(rows.rows[0]);
  }

  /** Every console user with presence, settings and teams (the supervisor's view). */
  async everyone(): Promise<Array<{ id: string; name: string; teams: string[]; settings: RoutingSettings; presence: StoredPresence | null; held: number }>> {
    const rows = await sql<{ id: string; display_name: string; capacity: number; skills: unknown; teams: unknown; held: string | number } & Partial<PresenceRow>>`
      select u.id, u.display_name, u.capacity, u.skills, p.user_id, p.status, p.last_seen_at, p.changed_at,
        (select json_agg(ut.team order by ut.team) from user_teams ut where ut.user_id = u.id) as teams,
        (select count(*) from conversations c where c.status = 'assigned' and c.assignee_id = u.id) as held
      from users u left join agent_presence p on p.user_id = u.id
      where u.role in ('agent', 'supervisor', 'admin')
      order by u.display_name, u.id`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      name: r.display_name,
      teams: stringsOf(r.teams),
      settings: { capacity: r.capacity, skills: stringsOf(r.skills) },
      presence: r.user_id != null && r.status !== undefined && r.last_seen_at !== undefined && r.changed_at !== undefined ? toPresence({ user_id: r.user_id, status: r.status, last_seen_at: r.last_seen_at, changed_at: r.changed_at }) : null,
      held: Number(r.held),
    }));
  }
}

function toPresence(row: PresenceRow): StoredPresence {
  return { userId: row.user_id, status: row.status, lastSeenAt: new Date(row.last_seen_at), changedAt: new Date(row.changed_at) };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
