import type { Kysely } from 'kysely';
import type { ConversationEvent } from '../core/conversation.js';
import { classifyDatabaseError } from './errors.js';
import type { Database } from './schema.js';

interface PendingRow {
  conversation_id: string;
  seq: number;
  type: string;
  provider_message_id: string | null;
  payload: string;
}

interface Batch {
  rows: PendingRow[];
  waiters: Array<{ conversationId: string; resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Group commit for the conversation event log. Every turn awaits the durable write of its
 * events, but concurrent turns share one multi-row INSERT: while one batch is being written,
 * the next one fills up. A turn costs a fraction of a round trip instead of one each, which
 * matters most on the embedded database, where statements run one at a time.
 */
export class EventWriter {
  private next: Batch = { rows: [], waiters: [] };
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatchRows = 2000,
  ) {}

  append(conversationId: string, firstSeq: number, events: readonly ConversationEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      for (const [i, event] of events.entries()) {
        this.next.rows.push({
          conversation_id: conversationId,
          seq: firstSeq + i,
          type: event.type,
          provider_message_id: event.type === 'user_said' ? event.providerMessageId : null,
          payload: JSON.stringify(event),
        });
      }
      this.next.waiters.push({ conversationId, resolve, reject });
      if (this.writing === null) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the turns that are already running add their rows to this batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.next.waiters.length > 0) {
      const batch = this.next;
      this.next = { rows: [], waiters: [] };
      try {
        for (let i = 0; i < batch.rows.length; i += this.maxBatchRows) {
          await this.db.insertInto('conversation_events').values(batch.rows.slice(i, i + this.maxBatchRows)).execute();
        }
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        // While the database is down, writing each turn again would only wait out the same
        // outage once per turn: fail them all now.
        if (classifyDatabaseError(error)?.kind === 'unavailable') {
          for (const w of batch.waiters) w.reject(error);
          continue;
        }
        // One bad row (a duplicate seq after a lost cache) must not fail the others' turns:
        // write each turn's rows on its own so only the culprit sees the error.
        await this.writeOneByOne(batch);
      }
    }
    this.writing = null;
  }

  private async writeOneByOne(batch: Batch): Promise<void> {
    const errors = new Map<string, unknown>();
    for (const waiter of batch.waiters) {
      const rows = batch.rows.filter((r) => r.conversation_id === waiter.conversationId);
      if (errors.has(waiter.conversationId) || rows.length === 0) continue;
      try {
        await this.db.insertInto('conversation_events').values(rows).execute();
      } catch (error) {
        errors.set(waiter.conversationId, error);
      }
    }
    for (const w of batch.waiters) {
      if (errors.has(w.conversationId)) w.reject(errors.get(w.conversationId));
      else w.resolve();
    }
  }
}
