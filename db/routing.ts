import { sql, type Kysely } from 'kysely';
import type { Offer } from '../core/agent-api.js';
import type { OpenOffer } from '../handoff/routing-offers.js';
import type { Database } from './schema.js';

/**
 * Events that end an open offer (or are one): the latest of these in a conversation's log says
 * whether an offer is open. Offers are never kept beside the log; they are read from it.
 */
export const OFFER_BOUNDARY_TYPES = ['offered', 'offer_declined', 'offer_expired', 'assignee_changed', 'status_changed', 'transferred'] as const;

/** A queued conversation as a routing round sees it. */
export interface WaitingConversation {
  id: string;
  team: string | null;
  priority: number;
  waitingSince: string | null;
  /** What the latest triage requires of the agent. */
  skills: string[];
  /** Open offer, if any (then it is not offered again). */
  offer: OpenOffer | null;
  /** Agents offered it since its latest handoff, with the seq of their latest offer. */
  tried: Map<string, number>;
}

/** An agent routing may offer conversations to: role agent, chose `online`, seen recently, capacity above 0. */
export interface RoutableAgent {
  id: string;
  teams: string[];
  skills: string[];
  capacity: number;
  /** Conversations they hold (assigned to them). */
  held: number;
}

const types = sql.join(OFFER_BOUNDARY_TYPES.map((t) => sql.lit(t)));
const WAITING_LIMIT = 500;

/** The reads routing decides on: from the `conversations` projection and the event log, never a cache. */
export class RoutingReads {
  constructor(private readonly db: Kysely<Database>) {}

  /** Queued conversations, most urgent then longest waiting first. */
  async waiting(): Promise<WaitingConversation[]> {
    const rows = await sql<{
      id: string;
      team: string | null;
      priority: number;
      waiting_since: Date | string | null;
      skills: unknown;
      boundary_seq: number | null;
      boundary_type: string | null;
      boundary: unknown;
      tried: unknown;
    }>`
      select c.id, c.team, c.priority, c.waiting_since, t.skills,
        b.seq as boundary_seq, b.type as boundary_type, b.payload as boundary,
        (select json_agg(json_build_array(o.payload->>'agentId', o.seq)) from conversation_events o
          where o.conversation_id = c.id and o.type = 'offered' and o.seq > coalesce(t.seq, -1)) as tried
      from conversations c
      left join lateral (select e.seq, e.payload->'skills' as skills from conversation_events e
        where e.conversation_id = c.id and e.type = 'triaged' order by e.seq desc limit 1) t on true
      left join lateral (select e.seq, e.type, e.payload from conversation_events e
        where e.conversation_id = c.id and e.type in (${types}) order by e.seq desc limit 1) b on true
      where c.status = 'queued'
      order by c.priority desc, c.waiting_since asc nulls last, c.created_at asc
      limit ${WAITING_LIMIT}`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      team: r.team,
      priority: r.priority,
      waitingSince: r.waiting_since === null ? null : new Date(r.waiting_since).toISOString(),
      skills: stringsOf(r.skills),
      offer: r.boundary_type === 'offered' && r.boundary_seq !== null ? offerOf(r.id, r.boundary_seq, r.boundary) : null,
      tried: new Map(
        (Array.isArray(r.tried) ? r.tried : []).flatMap((pair): Array<[string, number]> =>
          Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number' ? [[pair[0], pair[1]]] : [],
        ),
      ),
    }));
  }

  /** Agents routing may offer to at `now`: online, with a heartbeat since `seenSince`. */
  async routableAgents(seenSince: Date): Promise<RoutableAgent[]> {
    const rows = await sql<{ id: string; capacity: number; skills: unknown; teams: unknown; held: string | number }>`
      select u.id, u.capacity, u.skills,
        (select json_agg(ut.team) from user_teams ut where ut.user_id = u.id) as teams,
        (select count(*) from conversations c where c.status = 'assigned' and c.assignee_id = u.id) as held
      from users u join agent_presence p on p.user_id = u.id
      where u.role = 'agent' and u.capacity > 0 and p.status = 'online' and p.last_seen_at >= ${seenSince.toISOString()}::timestamptz
      order by u.id`.execute(this.db);
    return rows.rows.map((r) => ({ id: r.id, capacity: r.capacity, skills: stringsOf(r.skills), teams: stringsOf(r.teams), held: Number(r.held) }));
  }

  /**
   * What the agent has now: conversations they hold plus offers open to them (expired ones
   * too, until their job records it). Read under the agent's routing lock before each offer.
   */
  async loadOf(agentId: string): Promise<{ held: number; offers: Offer[] }> {
    const held = await sql<{ n: string | number }>`select count(*) as n from conversations where status = 'assigned' and assignee_id = ${agentId}`.execute(this.db);
    return { held: Number(held.rows[0]?.n ?? 0), offers: await this.offersTo(agentId) };
  }

  /** The offers open to the agent, oldest first. */
  async offersTo(agentId: string): Promise<Offer[]> {
    const rows = await sql<{ id: string; seq: number; payload: unknown }>`
      select c.id, b.seq, b.payload from conversations c
      join lateral (select e.seq, e.type, e.payload from conversation_events e
        where e.conversation_id = c.id and e.type in (${types}) order by e.seq desc limit 1) b on true
      where c.status = 'queued' and b.type = 'offered' and b.payload->>'agentId' = ${agentId}
      order by b.seq`.execute(this.db);
    return rows.rows.flatMap((r) => {
      const offer = offerOf(r.id, r.seq, r.payload);
      return offer === null ? [] : [{ conversationId: r.id, offerSeq: r.seq, expiresAt: offer.expiresAt }];
    });
  }

  /** The conversation's open offer, from its log (read under its lock by the offer actions). */
  async openOffer(conversationId: string): Promise<OpenOffer | null> {
    const rows = await sql<{ seq: number; type: string; payload: unknown }>`
      select e.seq, e.type, e.payload from conversation_events e
      where e.conversation_id = ${conversationId} and e.type in (${types}) order by e.seq desc limit 1`.execute(this.db);
    const row = rows.rows[0];
    return row === undefined || row.type !== 'offered' ? null : offerOf(conversationId, row.seq, row.payload);
  }
}

function offerOf(conversationId: string, seq: number, payload: unknown): OpenOffer | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { agentId, offerId, expiresAt } = payload as Record<string, unknown>;
  if (typeof agentId !== 'string' || typeof offerId !== 'string' || typeof expiresAt !== 'string') return null;
  return { conversationId, seq, agentId, offerId, expiresAt };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
