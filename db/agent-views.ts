import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * How far each agent has read each conversation (`agent_conversation_views`, migration 0016), and
 * from it their unread counts: the customer messages after the last event the agent had on
 * screen, or every customer message of a conversation they never opened. Counted from the event
 * log at read time, so every instance answers the same and nothing has to be incremented.
 */
export class AgentViewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The agent has seen the conversation up to `seq`; a marker never moves back (an older read arriving late). */
  async markViewed(userId: string, conversationId: string, seq: number, at: Date = new Date()): Promise<void> {
    // Raw SQL: db/schema.ts does not describe the table (as with the routing columns of 0012).
    await sql`
      insert into agent_conversation_views (user_id, conversation_id, viewed_seq, viewed_at)
      values (${userId}, ${conversationId}, ${seq}, ${at.toISOString()}::timestamptz)
      on conflict (user_id, conversation_id) do update
        set viewed_seq = greatest(agent_conversation_views.viewed_seq, excluded.viewed_seq), viewed_at = excluded.viewed_at`.execute(this.db);
  }

  /** Unread customer messages per conversation for the agent; conversations with none are absent. */
  async unread(userId: string, conversationIds: readonly string[]): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await sql<{ conversation_id: string; unread: string | number }>`
      select e.conversation_id, count(*) as unread
      from conversation_events e
      left join agent_conversation_views v on v.conversation_id = e.conversation_id and v.user_id = ${userId}
      where e.conversation_id in (${sql.join([...new Set(conversationIds)])})
        and e.type = 'user_said'
        and e.seq > coalesce(v.viewed_seq, -1)
      group by e.conversation_id`.execute(this.db);
    return new Map(rows.rows.map((r) => [r.conversation_id, Number(r.unread)]));
  }
}
