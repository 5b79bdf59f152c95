import type { ConversationEvent } from '../core/conversation.js';
import { ConversationStateSchema } from '../core/conversation-state.js';
import type { ConversationEffect } from '../core/conversation-writes.js';
import { parseJson } from '../core/parse-json.js';
import type { SnapshotStore } from '../core/stores.js';
import { projectionOf } from '../db/conversation-projection.js';
import type { ConversationRepository } from '../db/conversations.js';
import type { EventWriter } from '../db/event-writer.js';
import { foldEvents, type ConversationState } from './state.js';

const SNAPSHOT_TTL_MS = 24 * 60 * 60 * 1000;

export interface LoadedState {
  state: ConversationState;
  /** Version of the cached snapshot (0 = none), for the compare-and-set write. */
  snapshotVersion: number;
}

/** Where a conversation's state is cached in the state backend. */
export function snapshotKey(conversationId: string): string {
  return `conv-state:${conversationId}`;
}

export interface TrackerLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Conversation state: the durable event log lives in the database; the derived state is
 * cached in the state backend so a turn needs no replay. A missing, invalid or stale cache is
 * rebuilt from the log, which is what makes a conversation survive a restart.
 */
export class ConversationTracker {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly writer: EventWriter,
    private readonly snapshots: SnapshotStore,
    private readonly log?: TrackerLogger,
  ) {}

  async load(conversationId: string): Promise<LoadedState> {
    const cached = await this.snapshots.get(snapshotKey(conversationId));
    if (cached !== null) {
      const parsed = ConversationStateSchema.safeParse(parseJson(cached.value));
      if (parsed.success) return { state: parsed.data, snapshotVersion: cached.version };
      // Written by another version, truncated, or tampered with: the log decides. Keeping the
      // version lets the next commit overwrite it.
      this.log?.warn({ conversationId, issues: parsed.error.issues.length }, 'invalid conversation snapshot; rebuilt from the log');
    }
    const events = await this.repo.loadEvents(conversationId);
    return { state: foldEvents(events.map((e) => e.event)), snapshotVersion: cached?.version ?? 0 };
  }

  /**
   * Commits the events with the conversation's projection (one statement; see EventWriter) and
   * refreshes the cache. Call under the conversation's lock.
   */
  async commit(conversationId: string, loaded: LoadedState, events: readonly ConversationEvent[], effects: readonly ConversationEffect[]): Promise<ConversationState> {
    const next = foldEvents(events, loaded.state);
    try {
      await this.writer.commit({ conversationId, firstSeq: loaded.state.version, events, projection: projectionOf(next), effects });
    } catch (error) {
      // The cache may be behind the log (a crash after a commit, before its snapshot): drop it
      // so the retry rebuilds. A failure to drop it is the same outage the commit just met.
      await this.snapshots.delete(snapshotKey(conversationId)).catch(() => undefined);
      throw error;
    }
    await this.refresh(conversationId, loaded.snapshotVersion, next);
    return next;
  }

  /**
   * After the commit nothing may fail the write: a snapshot that could not be written is
   * dropped, and one that could not even be dropped is found behind the log by the next commit
   * (a seq clash), which drops it then.
   */
  private async refresh(conversationId: string, expectedVersion: number, state: ConversationState): Promise<void> {
    try {
      const written = await this.snapshots.set(snapshotKey(conversationId), JSON.stringify(state), expectedVersion, SNAPSHOT_TTL_MS);
      if (written === null) await this.snapshots.delete(snapshotKey(conversationId));
    } catch (error) {
      this.log?.warn({ conversationId, err: error }, 'conversation snapshot not refreshed; the next write rebuilds it');
      await this.snapshots.delete(snapshotKey(conversationId)).catch(() => undefined);
    }
  }
}
