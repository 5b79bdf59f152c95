import { sql, type Insertable, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationEffect } from '../core/conversation-writes.js';
import type { ConversationProjection } from './conversation-projection.js';
import { classifyDatabaseError } from './errors.js';
import type { Database, OutboundMessagesTable } from './schema.js';

/** One conversation's change: its new events, the projection they lead to, the effects to record with them. */
export interface ConversationCommit {
  conversationId: string;
  /** The seq of the first event: the conversation's `last_seq` + 1. */
  firstSeq: number;
  events: readonly ConversationEvent[];
  /** The conversation's projection once these events are folded in. */
  projection: ConversationProjection;
  effects: readonly ConversationEffect[];
}

/** What a batch's effects need written with its events (see `EffectRecorder`). */
export interface RecordedEffects {
  /** Reply rows, appended by the batch's own statement: web chat's as sent, the others queued. */
  outbound: ReadonlyArray<Insertable<OutboundMessagesTable>>;
  /** What needs the transaction around that statement (jobs, effect rows); null when nothing does. */
  inTransaction: ((trx: Transaction<Database>) => Promise<void>) | null;
  /** After the commit: pushes web chat replies and wakes this instance's workers. */
  committed(): void;
}

/**
 * Turns a batch's effects into rows written with its events, so they exist iff the events do.
 * Implemented in jobs/, which owns the queue and knows the channels.
 */
export interface EffectRecorder {
  prepare(commits: readonly ConversationCommit[]): RecordedEffects;
}

/** Refuses any effect: for writers (tools, tests) that run without workers. */
export const NO_EFFECTS: EffectRecorder = {
  prepare: (commits) => {
    if (commits.some((c) => c.effects.length > 0)) throw new Error('this event writer records no effects: give it the effect recorder of jobs/');
    return { outbound: [], inTransaction: null, committed: () => undefined };
  },
};

interface Pending {
  commit: ConversationCommit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for conversations: every writer awaits the durable write of its own change, but
 * concurrent changes share one statement — one INSERT of every event row, and one UPDATE of
 * every conversation's projection, in a single data-modifying statement, so events and
 * projection commit or fail together. While one batch is being written, the next one fills up;
 * that matters most on the embedded database, where statements run one at a time.
 *
 * A batch that fails for one conversation's sake (a seq clash after a lost cache, a duplicate
 * provider message) is written again one conversation per statement, so only the culprit sees
 * the error; a database outage fails the whole batch at once.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly effects: EffectRecorder = NO_EFFECTS,
    private readonly maxBatchRows = 2000,
  ) {}

  commit(commit: ConversationCommit): Promise<void> {
    if (commit.events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ commit, resolve, reject });
      if (this.writing === null) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the writers that are already running add their changes to this batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.write(batch.map((p) => p.commit));
        for (const p of batch) p.resolve();
      } catch (error) {
        // While the database is down, writing each change again would only wait out the same
        // outage once per change: fail them all now.
        if (batch.length === 1 || classifyDatabaseError(error)?.kind === 'unavailable') {
          for (const p of batch) p.reject(error);
          continue;
        }
        await this.writeOneByOne(batch);
      }
    }
    this.writing = null;
  }

  /**
   * The next batch, up to `maxBatchRows` event rows, with one change per conversation: two would
   * mean a lock expired under a writer, and the second must see the first's outcome (its clash).
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const conversations = new Set<string>();
    let rows = 0;
    for (const pending of this.queue) {
      const { conversationId, events } = pending.commit;
      const full = batch.length > 0 && rows + events.length > this.maxBatchRows;
      if (full || conversations.has(conversationId)) {
        rest.push(pending);
        continue;
      }
      batch.push(pending);
      conversations.add(conversationId);
      rows += events.length;
    }
    this.queue = rest;
    return batch;
  }

  private async writeOneByOne(batch: readonly Pending[]): Promise<void> {
    for (const pending of batch) {
      try {
        await this.write([pending.commit]);
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  /**
   * One statement is atomic on its own; with effects, it and their rows share a transaction, so a
   * change's events and what it set in motion commit or vanish together.
   */
  private async write(commits: readonly ConversationCommit[]): Promise<void> {
    const effects = this.effects.prepare(commits);
    const statement = eventsAndProjections(commits, effects.outbound);
    const { inTransaction } = effects;
    if (inTransaction === null) {
      await statement.execute(this.db);
    } else {
      await this.db.transaction().execute(async (trx) => {
        await statement.execute(trx);
        await inTransaction(trx);
      });
    }
    try {
      effects.committed();
    } catch {
      // Waking the workers saves a poll interval; the commit stands either way.
    }
  }
}

/**
 * Appends the events (and their reply rows) and updates each conversation's projection in one statement. The issue type
 * and the reply identity keep the stored value while the log has none (rows from before the log
 * recorded them); everything else is the fold's. `updated_at` is when the status or assignee last
 * changed (the agents' queue orders by it).
 */
function eventsAndProjections(commits: readonly ConversationCommit[], outbound: RecordedEffects['outbound']): RawBuilder<unknown> {
  const rows = commits.flatMap((c) =>
    c.events.map(
      (event, i) =>
        sql`(${c.conversationId}, ${c.firstSeq + i}::int, ${event.type}, ${event.type === 'user_said' ? event.providerMessageId : null}::text, ${JSON.stringify(event)}::jsonb)`,
    ),
  );
  const projections = commits.map(({ conversationId, projection: p }) => {
    const replyChannel = p.replyTo?.channel ?? null;
    const replyIdentity = p.replyTo?.senderId ?? null;
    return sql`(${conversationId}, ${p.status}, ${p.assigneeId}::text, ${p.team}::text, ${p.priority}::int, ${p.issueType}::text, ${p.lastSeq}::int, ${replyChannel}::text, ${replyIdentity}::text, ${p.waitingSince}::timestamptz)`;
  });
  return sql`
    with appended as (
      insert into conversation_events (conversation_id, seq, type, provider_message_id, payload)
      values ${sql.join(rows)}
    )${outbound.length > 0 ? sql`, replies as (${outboundRows(outbound)})` : sql``}
    update conversations as c set
      status = v.status,
      assignee_id = v.assignee_id,
      team = v.team,
      priority = v.priority,
      issue_type = coalesce(v.issue_type, c.issue_type),
      last_seq = v.last_seq,
      reply_channel = coalesce(v.reply_channel, c.reply_channel),
      reply_identity = coalesce(v.reply_identity, c.reply_identity),
      waiting_since = v.waiting_since,
      -- Only when who holds it changes: an update that touches no indexed column stays a HOT
      -- update (no index writes), which is what most commits are.
      updated_at = case when (c.status, c.assignee_id) is distinct from (v.status, v.assignee_id) then now() else c.updated_at end
    from (values ${sql.join(projections)}) as v(id, status, assignee_id, team, priority, issue_type, last_seq, reply_channel, reply_identity, waiting_since)
    where c.id = v.id`;
}

/** Reply rows in the batch's statement; one already there (a retried change) is kept as it is. */
function outboundRows(rows: RecordedEffects['outbound']): RawBuilder<unknown> {
  const values = rows.map(
    (r) =>
      sql`(${r.conversation_id}, ${r.seq}::int, ${r.channel}, ${r.identity}, ${r.author}, ${r.content}::jsonb, ${r.status ?? 'queued'}, ${r.provider_message_id ?? null}::text, ${r.attempts ?? 0}::int)`,
  );
  return sql`insert into outbound_messages (conversation_id, seq, channel, identity, author, content, status, provider_message_id, attempts)
      values ${sql.join(values)}
      on conflict (conversation_id, seq) do nothing`;
}
