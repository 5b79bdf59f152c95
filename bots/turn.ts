import type { DeliveryAddress, ChannelSender } from '../core/channel.js';
import type { ConversationEvent } from '../core/conversation.js';
import { SwitchboardError } from '../core/errors.js';
import { degradeToText, type InboundMessage, type OutboundMessage } from '../core/message.js';
import type { NluEngine } from '../core/nlu.js';
import type { StateBackend } from '../core/stores.js';
import type { ConversationRepository } from '../db/conversations.js';
import { isUniqueViolation } from '../db/errors.js';
import { botHolds, transition } from '../handoff/transition.js';
import type { DialogueManager } from './dialogue.js';
import type { TurnThrottle } from './flow.js';
import { foldEvents, withVerificationExpiry } from './state.js';
import type { ConversationRoute, ConversationRoutes } from './routes.js';
import type { ConversationTracker, LoadedState } from './tracker.js';

/** Retries of a provider message are recognised for this long (Meta retries for up to 7 days). */
const IDEMPOTENCY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface TurnLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SentReply {
  seq: number;
  message: OutboundMessage;
}

export type TurnOutcome =
  | { kind: 'duplicate' }
  | { kind: 'answered'; conversationId: string; replies: SentReply[]; userSeq: number }
  /** An agent holds the conversation: the message was stored and relayed, the bot stayed quiet. */
  | { kind: 'relayed'; conversationId: string; userSeq: number }
  /**
   * Answered, but the message was an attempt the bot refused for now (a code while verification
   * is paused): HTTP channels answer 429 with Retry-After; the replies are stored and pushed.
   */
  | { kind: 'throttled'; conversationId: string; replies: SentReply[]; userSeq: number; throttle: TurnThrottle };

export interface TurnDeps {
  state: StateBackend;
  conversations: ConversationRepository;
  routes: ConversationRoutes;
  tracker: ConversationTracker;
  nlu: NluEngine;
  dialogue: DialogueManager;
  senders: ReadonlyMap<string, ChannelSender>;
  log: TurnLogger;
  lockTtlMs: number;
  /** How long a verification holds (VERIFICATION_TTL_HOURS). */
  verificationTtlMs: number;
  now?: () => Date;
}

/** Topic on which every stored conversation event is announced (consoles, other instances). */
export const CONVERSATION_TOPIC = 'conversation-events';

/**
 * One turn, in a fixed order, one at a time per sender: drop duplicates → find contact and
 * conversation → store what the customer said → if a person holds the conversation, relay
 * and stop → NLU → dialogue → store → deliver on the customer's channel.
 */
export class TurnProcessor {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: TurnDeps) {}

  async handle(message: InboundMessage): Promise<TurnOutcome> {
    this.inFlight += 1;
    try {
      const lockKey = `turn:${message.channel}:${message.senderId}`;
      return await this.deps.state.locks.withLock(lockKey, () => this.processOnce(message), { ttlMs: this.deps.lockTtlMs });
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves when no turn is running (graceful shutdown). */
  drain(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async processOnce(message: InboundMessage): Promise<TurnOutcome> {
    const idempotencyKey = `msg:${message.channel}:${message.providerMessageId}`;
    // Independent reads go out together: with Redis each is a round trip on the turn's path.
    const routing = this.deps.routes.resolve(message.channel, message.senderId, message.displayName);
    routing.catch(() => undefined);
    if (!(await this.deps.state.idempotency.claim(idempotencyKey, IDEMPOTENCY_TTL_MS))) return { kind: 'duplicate' };
    let committed = false;
    try {
      const outcome = await this.process(message, await routing, () => {
        committed = true;
      });
      return outcome;
    } catch (error) {
      // Not stored: forget the id so the provider's retry is processed.
      if (!committed) await this.deps.state.idempotency.release(idempotencyKey).catch(() => undefined);
      throw error;
    }
  }

  private async process(message: InboundMessage, resolved: ConversationRoute, markCommitted: () => void): Promise<TurnOutcome> {
    const { conversations, tracker, log } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const at = now.toISOString();
    let route = resolved;
    let loaded = await tracker.load(route.conversationId);
    if (loaded.state.status === 'resolved') {
      route = await this.deps.routes.reopen(message.channel, message.senderId);
      loaded = await tracker.load(route.conversationId);
    }
    const contact = { contactId: route.contactId };
    const conversation = { id: route.conversationId };
    const userSaid: ConversationEvent = {
      at,
      type: 'user_said',
      channel: message.channel,
      providerMessageId: message.providerMessageId,
      text: message.text,
      ...(message.payload !== undefined ? { payload: message.payload } : {}),
    };
    const userSeq = loaded.state.version;

    if (!botHolds(loaded.state.status)) {
      if ((await this.commit(conversation.id, loaded, [userSaid], message.providerMessageId)) === 'already_stored') return { kind: 'duplicate' };
      markCommitted();
      await this.announce(conversation.id, userSeq, userSaid);
      return { kind: 'relayed', conversationId: conversation.id, userSeq };
    }

    const nlu = await this.deps.nlu.parse(message.text, {
      ...(message.locale !== undefined ? { locale: message.locale } : {}),
      ...(loaded.state.expecting !== null ? { expecting: loaded.state.expecting } : {}),
    });
    const nluEvent: ConversationEvent = {
      at,
      type: 'nlu',
      intent: nlu.intent,
      confidence: nlu.confidence,
      ranking: nlu.ranking.slice(0, 5),
      outOfScope: nlu.outOfScope?.reason ?? null,
      entities: nlu.entities,
      sentiment: nlu.sentiment,
    };
    const state = withVerificationExpiry(foldEvents([userSaid, nluEvent], loaded.state), now, this.deps.verificationTtlMs);
    const decision = await this.deps.dialogue.respond({
      conversationId: conversation.id,
      contactId: contact.contactId,
      channel: message.channel,
      state,
      nlu,
      message,
      now,
    });

    const events: ConversationEvent[] = [userSaid, nluEvent, ...decision.events];
    const replyStart = loaded.state.version + events.length;
    events.push(...decision.replies.map((reply): ConversationEvent => ({ at, type: 'said', author: 'bot', message: reply })));
    let newStatus = state.status;
    if (decision.handoff !== null) {
      newStatus = transition(state.status, 'request_human');
      events.push({ at, type: 'status_changed', from: state.status, to: newStatus, reason: decision.handoff.reason });
    }
    if ((await this.commit(conversation.id, loaded, events, message.providerMessageId)) === 'already_stored') return { kind: 'duplicate' };
    markCommitted();
    if (decision.handoff !== null) {
      await conversations.setStatus(conversation.id, newStatus, decision.handoff.issueType);
      log.info({ conversationId: conversation.id, reason: decision.handoff.reason }, 'conversation handed off');
    }
    log.debug({ conversationId: conversation.id, intent: nlu.intent, text: message.text }, 'turn');

    const replies = decision.replies.map((reply, i) => ({ seq: replyStart + i, message: reply }));
    await Promise.all([
      this.deliver({ conversationId: conversation.id, channel: message.channel, senderId: message.senderId }, replies),
      this.announce(conversation.id, userSeq, userSaid),
    ]);
    if (decision.throttled !== undefined) return { kind: 'throttled', conversationId: conversation.id, replies, userSeq, throttle: decision.throttled };
    return { kind: 'answered', conversationId: conversation.id, replies, userSeq };
  }

  /**
   * Appends the turn's events. A unique violation means the log already has this provider
   * message (an earlier attempt stored it, then its idempotency claim was lost: a crash, a Redis
   * restart), which is the duplicate it looks like; or the cached state was behind the log, which
   * the tracker has now dropped, so the client's retry rebuilds it.
   */
  private async commit(conversationId: string, loaded: LoadedState, events: readonly ConversationEvent[], providerMessageId: string): Promise<'stored' | 'already_stored'> {
    try {
      await this.deps.tracker.commit(conversationId, loaded, events);
      return 'stored';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (await this.deps.conversations.hasProviderMessage(conversationId, providerMessageId)) return 'already_stored';
      throw new SwitchboardError('SB_ERR_LOCK_TIMEOUT', 'The conversation changed while this message was processed; send it again', [], {
        cause: error,
        retryAfterSeconds: 1,
      });
    }
  }

  /** Sends replies on the customer's own channel, degraded to what that channel renders. */
  private async deliver(address: DeliveryAddress, replies: SentReply[]): Promise<void> {
    const sender = this.deps.senders.get(address.channel);
    if (sender === undefined) {
      this.deps.log.error({ channel: address.channel }, 'no sender for channel; replies stored but not delivered');
      return;
    }
    for (const reply of replies) {
      const message: OutboundMessage = sender.renders.has(reply.message.kind)
        ? reply.message
        : { kind: 'text', text: degradeToText(reply.message) };
      try {
        await sender.send(address, message, { seq: reply.seq, author: 'bot' });
      } catch (error) {
        this.deps.log.error({ conversationId: address.conversationId, channel: address.channel, err: error }, 'delivery failed');
      }
    }
  }

  private async announce(conversationId: string, seq: number, event: ConversationEvent): Promise<void> {
    await this.deps.state.pubsub
      .publish(CONVERSATION_TOPIC, JSON.stringify({ conversationId, seq, type: event.type }))
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'could not announce conversation event'));
  }
}
