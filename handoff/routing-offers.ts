import { randomUUID } from 'node:crypto';
import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { ConversationChange, ConversationWrites } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import type { AgentActionResult, AgentActions, ActionGuard } from './agent-actions.js';
import { statusChange } from './transition.js';

/** An offer open in a conversation, as its log says (db/routing.ts `openOffer`). */
export interface OpenOffer {
  conversationId: string;
  /** Where the `offered` event is stored. */
  seq: number;
  agentId: string;
  offerId: string;
  expiresAt: string;
}

/** What `offer` needs stored before its event commits: the job that ends the offer if nobody takes it. */
export type ScheduleExpiry = (offer: { conversationId: string; offerSeq: number; offerId: string; expiresAt: Date }) => Promise<void>;

export interface OfferActionsDeps {
  writes: ConversationWrites;
  /** The conversation's open offer, read from the committed log (called under its lock). */
  openOffer(conversationId: string): Promise<OpenOffer | null>;
  scheduleExpiry: ScheduleExpiry;
  /** Tells a customer on a text channel who joined when an offer is accepted (AgentActions.announceJoined). */
  announceJoined?: AgentActions['announceJoined'];
  now?: () => Date;
}

/** Why `offer` made none. */
export type OfferRefusal = 'not_queued' | 'already_offered';

/** What `offer` did. */
export type OfferOutcome = { offered: true; seq: number; expiresAt: string } | { offered: false; why: OfferRefusal };

/** What an expiry job found. */
export type ExpiryOutcome = { kind: 'expired'; seq: number } | { kind: 'not_due'; expiresAt: Date } | { kind: 'nothing' };

/**
 * The routing side of a conversation's log: offers, and what ends them. Each is one
 * `withConversation` (the one write path), deciding on the committed log under the
 * conversation's lock, so of two routers offering one conversation, one offers and the other
 * finds it offered; an offer is accepted at most once, and only by the agent it was made to.
 */
export class OfferActions {
  constructor(private readonly deps: OfferActionsDeps) {}

  /**
   * Offers the queued conversation to `agentId` for `timeoutMs`. Its expiry job is stored
   * before the offer commits, so an offer never exists without the job that ends it (a job
   * whose offer did not commit finds nothing and ends).
   */
  async offer(conversationId: string, agentId: string, timeoutMs: number): Promise<OfferOutcome> {
    return this.deps.writes.withConversation(conversationId, async ({ state }): Promise<ConversationChange<OfferOutcome>> => {
      if (state.status !== 'queued' || state.assigneeId !== null) return nothing<OfferOutcome>({ offered: false, why: 'not_queued' });
      if ((await this.deps.openOffer(conversationId)) !== null) return nothing<OfferOutcome>({ offered: false, why: 'already_offered' });
      const now = this.now();
      const expiresAt = new Date(now.getTime() + timeoutMs);
      const offerId = randomUUID();
      const seq = state.version;
      await this.deps.scheduleExpiry({ conversationId, offerSeq: seq, offerId, expiresAt });
      const event: ConversationEvent = { at: now.toISOString(), type: 'offered', agentId, offerId, expiresAt: expiresAt.toISOString() };
      return { events: [event], effects: [], result: { offered: true, seq, expiresAt: event.expiresAt } };
    });
  }

  /** The agent takes the conversation offered to them: assigned to them, as a claim would. */
  async accept(conversationId: string, agentId: string, guard?: ActionGuard): Promise<AgentActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard?.(state);
      const offer = await this.openOfferTo(conversationId, agentId, state);
      const now = this.now();
      if (Date.parse(offer.expiresAt) <= now.getTime()) throw new SwitchboardError('SB_ERR_CONFLICT', 'The offer has expired');
      const at = now.toISOString();
      const events: ConversationEvent[] = [...statusChange(state.status, 'assign', 'offer_accepted', at), { at, type: 'assignee_changed', agentId }];
      const joined = (await this.deps.announceJoined?.(conversationId, state, agentId, at, state.version + events.length)) ?? { events: [], effects: [] };
      const all = [...events, ...joined.events];
      return { events: all, effects: joined.effects, result: resultOf(conversationId, state, all) };
    });
  }

  /** The agent turns the offer down; routing offers the conversation to the next agent. */
  async decline(conversationId: string, agentId: string, guard?: ActionGuard): Promise<AgentActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard?.(state);
      const offer = await this.openOfferTo(conversationId, agentId, state);
      const events: ConversationEvent[] = [{ at: this.now().toISOString(), type: 'offer_declined', agentId, offerSeq: offer.seq }];
      return { events, effects: [], result: resultOf(conversationId, state, events) };
    });
  }

  /** Run by the offer's job: ends the offer stored at `offerSeq` if it is still open and due. */
  async expire(data: { conversationId: string; offerSeq: number; offerId: string }): Promise<ExpiryOutcome> {
    return this.deps.writes.withConversation(data.conversationId, async () => {
      const offer = await this.deps.openOffer(data.conversationId);
      if (offer === null || offer.seq !== data.offerSeq || offer.offerId !== data.offerId) return nothing<ExpiryOutcome>({ kind: 'nothing' });
      const now = this.now();
      if (Date.parse(offer.expiresAt) > now.getTime()) return nothing<ExpiryOutcome>({ kind: 'not_due', expiresAt: new Date(offer.expiresAt) });
      const event: ConversationEvent = { at: now.toISOString(), type: 'offer_expired', agentId: offer.agentId, offerSeq: offer.seq };
      return { events: [event], effects: [], result: { kind: 'expired' as const, seq: offer.seq } };
    });
  }

  private async openOfferTo(conversationId: string, agentId: string, state: ConversationState): Promise<OpenOffer> {
    const offer = state.status === 'queued' ? await this.deps.openOffer(conversationId) : null;
    if (offer === null || offer.agentId !== agentId) throw new SwitchboardError('SB_ERR_CONFLICT', 'No offer of this conversation to you is open');
    return offer;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function nothing<T>(result: T): { events: []; effects: []; result: T } {
  return { events: [], effects: [], result };
}

function resultOf(conversationId: string, state: ConversationState, events: readonly ConversationEvent[]): AgentActionResult {
  let { status, assigneeId } = state;
  for (const event of events) {
    if (event.type === 'status_changed') status = event.to;
    if (event.type === 'assignee_changed') assigneeId = event.agentId;
  }
  return { conversationId, seqs: events.map((_, i) => state.version + i), status, assigneeId };
}
