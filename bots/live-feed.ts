import { z } from 'zod';
import { ConversationEventTypeSchema, type ConversationEvent } from '../core/conversation.js';
import { parseJson } from '../core/parse-json.js';
import type { PubSub, Unsubscribe } from '../core/stores.js';
import type { StoredEvent } from '../db/conversations.js';

/** Topic on which every stored conversation event is announced (consoles, other instances). */
export const CONVERSATION_TOPIC = 'conversation-events';

/** One announcement: which event was stored. What it says is read from the log (`eventsAfter`). */
export const AnnouncementSchema = z.object({
  conversationId: z.string().min(1),
  seq: z.number().int().min(0),
  type: ConversationEventTypeSchema,
});
export type Announcement = z.infer<typeof AnnouncementSchema>;

export interface FeedLogger {
  warn(obj: object, msg: string): void;
}

/** How many events one catch-up read asks for. */
const CATCH_UP_PAGE = 500;

/**
 * The live feed: every event the write path stores is announced on pub/sub (across instances
 * with Redis) with its conversation id, seq and type, after its commit. Pub/sub may drop a
 * message (a reconnect, a slow subscriber), so announcements are a doorbell, not the record:
 * a consumer reads what it has not seen yet by seq from the log (`eventsAfter`), which is what
 * `follow` does.
 */
export class LiveFeed {
  constructor(
    private readonly deps: {
      pubsub: PubSub;
      events: { eventsAfter(conversationId: string, seq: number, limit?: number): Promise<StoredEvent[]> };
      log: FeedLogger;
    },
  ) {}

  /** Announces committed events (seqs `firstSeq`…). Never throws: a consumer that missed one catches up by seq. */
  async announce(conversationId: string, firstSeq: number, events: readonly ConversationEvent[]): Promise<void> {
    // Published together: the Redis client pipelines them into one round trip.
    const published = events.map((event, i) => {
      const announcement: Announcement = { conversationId, seq: firstSeq + i, type: event.type };
      return this.deps.pubsub.publish(CONVERSATION_TOPIC, JSON.stringify(announcement));
    });
    const failed = (await Promise.allSettled(published)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) this.deps.log.warn({ conversationId, failed: failed.length, err: failed[0]?.reason }, 'could not announce conversation events');
  }

  /** Every announcement of every conversation; malformed messages on the topic are ignored. */
  subscribe(handler: (announcement: Announcement) => void): Promise<Unsubscribe> {
    return this.deps.pubsub.subscribe(CONVERSATION_TOPIC, (message) => {
      const parsed = AnnouncementSchema.safeParse(parseJson(message));
      if (parsed.success) handler(parsed.data);
    });
  }

  /**
   * Follows one conversation: `onEvent` receives every stored event with a seq above `afterSeq`
   * exactly once, in seq order, without gaps — first what is already stored, then each new one
   * as it is announced. A missed announcement is filled in by the next one (each triggers a read
   * of everything after the last seq delivered).
   */
  async follow(conversationId: string, afterSeq: number, onEvent: (stored: StoredEvent) => void): Promise<Unsubscribe> {
    let next = afterSeq + 1;
    let stopped = false;
    let scheduled = false;
    let reading: Promise<void> = Promise.resolve();
    const catchUp = (): void => {
      if (scheduled) return;
      scheduled = true;
      reading = reading.then(async () => {
        scheduled = false;
        for (;;) {
          if (stopped) return;
          const events = await this.deps.events.eventsAfter(conversationId, next - 1, CATCH_UP_PAGE);
          for (const stored of events) {
            if (stopped) return;
            onEvent(stored);
            next = stored.seq + 1;
          }
          if (events.length < CATCH_UP_PAGE) return;
        }
      }).catch((error: unknown) => this.deps.log.warn({ conversationId, err: error }, 'live feed catch-up failed; the next announcement retries'));
    };
    const unsubscribe = await this.subscribe((announcement) => {
      if (announcement.conversationId === conversationId && announcement.seq >= next) catchUp();
    });
    // What was stored before the subscription took effect.
    catchUp();
    return async () => {
      stopped = true;
      await unsubscribe();
    };
  }
}
