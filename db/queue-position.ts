import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Where a waiting conversation stands in its team's queue. */
export interface QueuePlace {
  conversationId: string;
  /** The queue's team (null: the shared queue). */
  team: string | null;
  priority: number;
  /** Since when it waits (ISO). */
  since: string;
}

/**
 * 1 + the queued conversations of the same queue an agent takes first: a higher priority, or
 * the same priority waiting longer. Read from the projection, outside the turn's transaction:
 * an estimate for the customer, not a promise.
 */
export async function queuePosition(db: Kysely<Database>, place: QueuePlace): Promise<number> {
  const team = place.team === null ? sql`team is null` : sql`team = ${place.team}`;
  const row = await sql<{ ahead: string | number }>`
    select count(*) as ahead from conversations
    where status = 'queued' and id <> ${place.conversationId} and ${team}
      and (priority > ${place.priority} or (priority = ${place.priority} and waiting_since <= ${place.since}::timestamptz))`.execute(db);
  return 1 + Number(row.rows[0]?.ahead ?? 0);
}
