import type { ConversationEvent } from '../core/conversation.js';
import type { SnapshotStore } from '../core/stores.js';
import type { ConversationRepository } from '../db/conversations.js';
import type { EventWriter } from '../db/event-writer.js';
import { foldEvents, type ConversationState } from './state.js';

const SNAPSHOT_TTL_MS = 24 * 60 * 60 * 1000;

export interface LoadedState {
  state: ConversationState;
  /** Version of the cached snapshot (0 = none), for the compare-and-set write. */
  snapshotVersion: number;
}

/**
 * Conversation state: the durable event log lives in the database; the derived state is
 * cached in the state backend so a turn needs no replay. A missing or stale cache is rebuilt
 * from the log, which is what makes a conversation survive a restart.
 */
export class ConversationTracker {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly writer: EventWriter,
    private readonly snapshots: SnapshotStore,
  ) {}

  private key(conversationId: string): string {
    return `conv-state:${conversationId}`;
  }

  async load(conversationId: string): Promise<LoadedState> {
    const cached = await this.snapshots.get(this.key(conversationId));
    if (cached !== null) return { state: JSON.parse(cached.value) as ConversationState, snapshotVersion: cached.version };
    const events = await this.repo.loadEvents(conversationId);
    return { state: foldEvents(events.map((e) => e.event)), snapshotVersion: 0 };
  }

  /** Appends the turn's events to the log and refreshes the cache. Call under the conversation lock. */
  async commit(conversationId: string, loaded: LoadedState, events: readonly ConversationEvent[]): Promise<ConversationState> {
    const next = foldEvents(events, loaded.state);
    try {
      await this.writer.append(conversationId, loaded.state.version, events);
    } catch (error) {
      // The cache was behind the log (a crash between the two writes): drop it so the retry rebuilds.
      await this.snapshots.delete(this.key(conversationId));
      throw error;
    }
    const written = await this.snapshots.set(this.key(conversationId), JSON.stringify(next), loaded.snapshotVersion, SNAPSHOT_TTL_MS);
    if (written === null) await this.snapshots.delete(this.key(conversationId));
    return next;
  }
}
