import type { ConversationEvent } from './conversation.js';
import type { ConversationState } from './conversation-state.js';

/**
 * What must be recorded in the same transaction as a change's events: the transactional outbox
 * of effects (notify, cancel an order, open a case, deliver a message, schedule a job), each run
 * after the commit and idempotent on conversation + seq. None exist yet, so every writer passes
 * `effects: []`; the effects work widens this union and the event writer records them.
 */
export type ConversationEffect = never;

/** What a writer sees inside `withConversation`: the conversation's current state, validated. */
export interface ConversationView {
  conversationId: string;
  /** `state.version` is the seq the first new event gets. */
  state: ConversationState;
}

/** What a writer decided about a conversation. */
export interface ConversationChange<T> {
  /** Appended at the conversation's next seqs, in this order; none means nothing is written. */
  events: readonly ConversationEvent[];
  /** Recorded with the events and the conversation's projection, in one transaction. */
  effects: readonly ConversationEffect[];
  /** What `withConversation` resolves with once the change is committed. */
  result: T;
  /**
   * Runs after the commit while the conversation is still locked, so work it starts (handing
   * replies to delivery) is in seq order across writers. Its failures are its own to report:
   * the change is committed by then.
   */
  afterCommit?: () => Promise<void>;
}

/**
 * The one write path of a conversation. Bot turns, agent actions, delivery reports and jobs all
 * change a conversation through `withConversation`: it takes the conversation's lock
 * (`conv:<id>`, across instances), loads its state, lets `decide` return the events, commits them
 * with the conversation's projection in one transaction, refreshes the cached state and
 * announces every stored event on the live feed. Status changes go through
 * `handoff/transition.ts` inside `decide`.
 *
 * Rejects with `AlreadyStoredError` when an inbound message of the change is already in the log,
 * and with SB_ERR_LOCK_TIMEOUT (503) when the lock stayed busy or the cached state turned out
 * to be behind the log (it is dropped, so trying again works).
 */
export interface ConversationWrites {
  withConversation<T>(conversationId: string, decide: (view: ConversationView) => Promise<ConversationChange<T>>): Promise<T>;
}

/**
 * The provider's message is already in the conversation's log: an earlier attempt stored it and
 * its idempotency claim was lost (a crash, a Redis restart). Nothing was written.
 */
export class AlreadyStoredError extends Error {
  constructor(readonly providerMessageId: string) {
    super('the message is already stored in the conversation');
    this.name = 'AlreadyStoredError';
  }
}
