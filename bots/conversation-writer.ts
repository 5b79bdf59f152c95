import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import { AlreadyStoredError, type ConversationChange, type ConversationView, type ConversationWrites } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import { failpoint } from '../core/failpoints.js';
import type { LockStore } from '../core/stores.js';
import type { ConversationRepository } from '../db/conversations.js';
import { isUniqueViolation } from '../db/errors.js';
import { permits } from '../handoff/transition.js';
import type { LiveFeed } from './live-feed.js';
import { applyEvent } from './state.js';
import type { ConversationTracker, LoadedState } from './tracker.js';

export interface ConversationWriterDeps {
  locks: LockStore;
  tracker: ConversationTracker;
  conversations: Pick<ConversationRepository, 'hasProviderMessage'>;
  feed: LiveFeed;
  /** Lifetime of the lock of a holder that died (TURN_LOCK_TTL_MS). */
  lockTtlMs: number;
}

/** The lock every writer of one conversation takes, on every instance. */
export function conversationLockKey(conversationId: string): string {
  return `conv:${conversationId}`;
}

/**
 * The one write path of a conversation (see `ConversationWrites`): lock `conv:<id>` → load the
 * validated state → decide → check the status changes against the transition table → commit
 * events + projection (+ effects) in one statement → refresh the snapshot → announce → after-commit work.
 */
export class ConversationWriter implements ConversationWrites {
  constructor(private readonly deps: ConversationWriterDeps) {}

  withConversation<T>(conversationId: string, decide: (view: ConversationView) => Promise<ConversationChange<T>>): Promise<T> {
    return this.deps.locks.withLock(
      conversationLockKey(conversationId),
      async () => {
        const loaded = await this.deps.tracker.load(conversationId);
        const change = await decide({ conversationId, state: loaded.state });
        // Effects ride on events (they are keyed by conversation + seq): no events, nothing to write.
        if (change.events.length === 0) return change.result;
        assertStatusChanges(loaded.state, change.events);
        const hasEffects = change.effects.some((e) => e.kind !== 'deliver');
        if (hasEffects) failpoint('before-commit-with-effects');
        await this.commit(conversationId, loaded, change);
        if (hasEffects) failpoint('after-commit-with-effects');
        await Promise.all([this.deps.feed.announce(conversationId, loaded.state.version, change.events), change.afterCommit?.()]);
        return change.result;
      },
      { ttlMs: this.deps.lockTtlMs },
    );
  }

  /**
   * A unique violation means the log already has an inbound message of this change (an earlier
   * attempt stored it, then its idempotency claim was lost), or the cached state was behind the
   * log, which the tracker has now dropped, so trying again rebuilds it.
   */
  private async commit(conversationId: string, loaded: LoadedState, change: ConversationChange<unknown>): Promise<void> {
    try {
      await this.deps.tracker.commit(conversationId, loaded, change.events, change.effects);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const event of change.events) {
        if (event.type === 'user_said' && (await this.deps.conversations.hasProviderMessage(conversationId, event.providerMessageId))) {
          throw new AlreadyStoredError(event.providerMessageId);
        }
      }
      throw new SwitchboardError('SB_ERR_LOCK_TIMEOUT', 'The conversation changed meanwhile; try again', [], { cause: error, retryAfterSeconds: 1 });
    }
  }
}

/**
 * Every `status_changed` must start from the status the conversation has at that point and be
 * a change the transition table allows: a writer that built one by hand cannot get it stored.
 */
function assertStatusChanges(from: ConversationState, events: readonly ConversationEvent[]): void {
  let state = from;
  for (const event of events) {
    if (event.type === 'status_changed' && (event.from !== state.status || !permits(event.from, event.to))) {
      throw new SwitchboardError('SB_ERR_INTERNAL', 'Refused a status change the transition table does not allow', [
        { path: 'status_changed', message: `${event.from} → ${event.to} on a conversation that is ${state.status}` },
      ]);
    }
    state = applyEvent(state, event);
  }
}
