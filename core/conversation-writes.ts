import type { CaseKind } from './case-status.js';
import type { OutboundDelivery } from './channel.js';
import type { ConversationEvent } from './conversation.js';
import type { ConversationState } from './conversation-state.js';
import type { Notification } from './notifier.js';

/** A support case a change opens; its id is chosen when it is decided, so the reply can name it. */
export interface CaseToOpen {
  id: string;
  customerId: string;
  conversationId: string;
  kind: CaseKind;
  summary: string;
  details: Record<string, unknown>;
}

/**
 * What a change does outside its conversation's log: the transactional outbox. Writers return
 * effects instead of performing them; the event writer records each in the same transaction as
 * the events. Writes to the shop's own database (a case) are applied in that transaction;
 * everything that leaves it (a reply, an email) is a row that workers run after the commit, keyed
 * by conversation + seq. A crash at any point neither loses an effect nor runs one twice.
 */
export type ConversationEffect =
  /** The reply stored at `delivery.seq` (a `said` event of the same change), sent on the customer's channel. */
  | { kind: 'deliver'; delivery: OutboundDelivery }
  /** An email or SMS outside the conversation (a one-time code, a confirmation, a reset link). */
  | { kind: 'notify'; notification: Notification }
  /** A case for the team, inserted by the commit itself. */
  | { kind: 'open_case'; case: CaseToOpen };

/** The effects kept in `conversation_effects` (deliveries are `outbound_messages` rows of their own). */
export type ConversationEffectKind = Exclude<ConversationEffect['kind'], 'deliver' | 'open_case'>;
/** `pending` until a worker ran it; `failed` once its retries are spent (the reason is in `last_error`). */
export type ConversationEffectStatus = 'pending' | 'done' | 'failed';

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
