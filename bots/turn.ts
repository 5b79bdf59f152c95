import type { DeliveryAddress } from '../core/channel.js';
import type { ConversationEvent } from '../core/conversation.js';
import { AlreadyStoredError, type ConversationChange, type ConversationEffect, type ConversationView, type ConversationWrites } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import type { InboundMessage, OutboundMessage } from '../core/message.js';
import type { NluEngine } from '../core/nlu.js';
import type { StateBackend } from '../core/stores.js';
import type { ConversationRepository } from '../db/conversations.js';
import type { InboundTurns, TurnOutcome } from '../core/turn-outcome.js';
import type { HandoffDesk } from '../handoff/handoff-desk.js';
import { botHolds, statusChange } from '../handoff/transition.js';
import type { DialogueManager } from './dialogue.js';
import { resolveChoice } from './choice-resolver.js';
import { foldEvents, withVerificationExpiry } from './state.js';
import type { ConversationRoute, ConversationRoutes } from './routes.js';
import type { SatisfactionSurvey } from './satisfaction.js';
import type { WaitingRoom } from './waiting-room.js';

/** Retries of a provider message are recognised for this long (Meta retries for up to 7 days). */
const IDEMPOTENCY_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Intents a comment on the help received may carry without being a new request. */
export const COMMENT_INTENTS: ReadonlySet<string> = new Set(['complaint', 'thanks', 'goodbye', 'affirm', 'deny', 'greeting']);

export interface TurnLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

// The outcome is the channels' contract, so it lives in core.
export type { SentReply, TurnOutcome } from '../core/turn-outcome.js';

/** What a turn decides under the lock: an outcome, or that the conversation was resolved meanwhile. */
type Decided = TurnOutcome | { kind: 'resolved' };

export interface TurnDeps {
  /** Idempotency claims by provider message id. */
  state: Pick<StateBackend, 'idempotency'>;
  /** The log's own record of stored provider messages, which decides when a claim is held. */
  stored: Pick<ConversationRepository, 'hasProviderMessage'>;
  routes: ConversationRoutes;
  /** The one write path (bots/conversation-writer.ts): lock, validated state, one commit, announce. */
  writes: ConversationWrites;
  nlu: NluEngine;
  /** The dialogue, usually behind WhoIsWriting (bots/who-is-writing.ts): phone match and consent commands first. */
  dialogue: Pick<DialogueManager, 'respond'>;
  /** Triages handoffs with the handoff policy. */
  handoffs: Pick<HandoffDesk, 'triagedEvent'>;
  /** What the customer hears while waiting for a person; without it a queued conversation only stores messages. */
  waiting?: WaitingRoom;
  /** The satisfaction survey after a person resolved the conversation; without it the next message opens a new one. */
  survey?: SatisfactionSurvey;
  log: TurnLogger;
  /** How long a verification holds (VERIFICATION_TTL_HOURS). */
  verificationTtlMs: number;
  now?: () => Date;
}

/**
 * One turn, in a fixed order: drop duplicates → find contact and conversation → then, under the
 * conversation's lock (`withConversation`, one at a time per conversation, whoever writes):
 * what the customer said → if a person holds the conversation, relay and stop → NLU →
 * dialogue → one commit of every event with its effects: each reply as a message for the
 * customer's channel, each email or SMS the flows decided, sent by workers after the commit.
 */
export class TurnProcessor implements InboundTurns {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: TurnDeps) {}

  async handle(message: InboundMessage): Promise<TurnOutcome> {
    this.inFlight += 1;
    try {
      return await this.processOnce(message);
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
    if (!(await this.deps.state.idempotency.claim(idempotencyKey, IDEMPOTENCY_TTL_MS))) {
      // The claim is taken before the turn, so an attempt that died before its commit (a killed
      // instance) leaves it behind: only the log says whether the message was stored. Not
      // stored: that attempt died or is still running, and processing under the conversation's
      // lock is safe either way (the log's unique index makes the later of two a duplicate).
      if (await this.deps.stored.hasProviderMessage((await routing).conversationId, message.providerMessageId)) return { kind: 'duplicate' };
    }
    let committed = false;
    try {
      return await this.process(message, await routing, () => {
        committed = true;
      });
    } catch (error) {
      // Stored by an earlier attempt whose claim was lost: the duplicate it looks like.
      if (error instanceof AlreadyStoredError) return { kind: 'duplicate' };
      // Not stored: forget the id so the provider's retry is processed.
      if (!committed) await this.deps.state.idempotency.release(idempotencyKey).catch(() => undefined);
      throw error;
    }
  }

  /** The route is resolved first; the lock taken is the conversation's, so agents and jobs queue behind the same one. */
  private async process(message: InboundMessage, resolved: ConversationRoute, markCommitted: () => void): Promise<TurnOutcome> {
    const { writes, routes } = this.deps;
    let route = resolved;
    let outcome = await writes.withConversation(route.conversationId, (view) => this.turn(message, route, view, markCommitted));
    if (outcome.kind === 'resolved') {
      // Resolved since the route was cached: the customer's message opens a new conversation.
      route = await routes.reopen(message.channel, message.senderId);
      outcome = await writes.withConversation(route.conversationId, (view) => this.turn(message, route, view, markCommitted));
    }
    if (outcome.kind === 'resolved') {
      throw new SwitchboardError('SB_ERR_LOCK_TIMEOUT', 'The conversation changed meanwhile; try again', [], { retryAfterSeconds: 1 });
    }
    return outcome;
  }

  /** Under the conversation's lock, on its validated state: what this message changes. */
  private async turn(message: InboundMessage, route: ConversationRoute, view: ConversationView, markCommitted: () => void): Promise<ConversationChange<Decided>> {
    const { log } = this.deps;
    const loaded = view.state;
    const conversationId = view.conversationId;
    const now = this.deps.now?.() ?? new Date();
    if (loaded.status === 'resolved') {
      // A rating (or its comment) answers the survey on this conversation; anything else opens a new one.
      const survey = await this.surveyAnswer(message, loaded, now);
      if (survey === null) return { events: [], effects: [], result: { kind: 'resolved' } };
      return this.spoken(message, conversationId, loaded.version, now, survey, markCommitted);
    }
    const at = now.toISOString();
    // A typed "2" or "solid red" answers the options the bot just offered, before any intent
    // detection: on a text-only channel that is how a button-driven step is answered.
    // While queued only the waiting room's own options are answered that way (a callback, an email).
    const answerable = botHolds(loaded.status) ? loaded.offered : loaded.status === 'queued' ? (this.deps.waiting?.ownOptions(loaded) ?? null) : null;
    const chosen = answerable !== null && message.payload === undefined ? resolveChoice(answerable, message) : null;
    if (chosen !== null) message = { ...message, payload: chosen.option.value };
    const userSaid = userSaidEvent(message, at);
    const userSeq = loaded.version;

    if (!botHolds(loaded.status)) {
      const waiting = loaded.status === 'queued' ? await this.whileQueued(message, conversationId, loaded, now) : null;
      if (waiting === null) {
        return { events: [userSaid], effects: [], result: { kind: 'relayed', conversationId, userSeq }, afterCommit: async () => markCommitted() };
      }
      return this.spoken(message, conversationId, userSeq, now, waiting, markCommitted);
    }

    const nlu = await this.deps.nlu.parse(message.text, {
      ...(message.locale !== undefined ? { locale: message.locale } : {}),
      ...(loaded.expecting !== null ? { expecting: loaded.expecting } : {}),
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
    const state = withVerificationExpiry(foldEvents([userSaid, nluEvent], loaded), now, this.deps.verificationTtlMs);
    const recordEffects: ConversationEffect[] = [];
    const decision = await this.deps.dialogue.respond({
      conversationId,
      contactId: route.contactId,
      channel: message.channel,
      state,
      nlu,
      message,
      now,
      effects: recordEffects,
    });

    const events: ConversationEvent[] = [userSaid, nluEvent, ...decision.events];
    const { handoff } = decision;
    const handoffEvents: ConversationEvent[] = [];
    if (handoff !== null) {
      handoffEvents.push(...statusChange(state.status, 'request_human', handoff.reason, at));
      // The policy decides priority, category, team and SLA deadlines (handoff/policy.yaml).
      // Who the turn identified, a phone match made in this very turn included: a VIP is triaged as one.
      const { identity } = foldEvents(decision.events, state);
      const identifiedCustomerId = identity.level === 'anonymous' ? null : identity.customerId;
      const triaged = await this.deps.handoffs.triagedEvent(handoff, { intent: nlu.intent, lastFlow: state.activeFlow ?? state.attempts.at(-1)?.flow ?? null, identifiedCustomerId }, now);
      handoffEvents.push(triaged);
      // Never left wondering: where they are in the queue, or when the team is back.
      decision.replies.push(...((await this.deps.waiting?.onHandoff(conversationId, triaged, at, now)) ?? []));
    }
    const replyStart = loaded.version + events.length;
    events.push(...decision.replies.map((reply): ConversationEvent => ({ at, type: 'said', author: 'bot', message: reply })));
    events.push(...handoffEvents);
    log.debug({ conversationId, intent: nlu.intent, text: message.text }, 'turn');

    const replies = decision.replies.map((reply, i) => ({ seq: replyStart + i, message: reply }));
    const address: DeliveryAddress = { conversationId, channel: message.channel, senderId: message.senderId };
    const effects: ConversationEffect[] = [
      ...replies.map((reply): ConversationEffect => ({ kind: 'deliver', delivery: { address, seq: reply.seq, author: 'bot', message: reply.message } })),
      ...decision.notifications.map((notification): ConversationEffect => ({ kind: 'notify', notification })),
      ...recordEffects,
    ];
    return {
      events,
      effects,
      result:
        decision.throttled !== undefined
          ? { kind: 'throttled', conversationId, replies, userSeq, throttle: decision.throttled }
          : { kind: 'answered', conversationId, replies, userSeq },
      afterCommit: async () => {
        markCommitted();
        if (handoff !== null) log.info({ conversationId, reason: handoff.reason }, 'conversation handed off');
      },
    };
  }

  /** A message while nobody has picked the conversation up yet (bots/waiting-room.ts). */
  private async whileQueued(message: InboundMessage, conversationId: string, state: ConversationView['state'], now: Date) {
    const waiting = this.deps.waiting;
    if (waiting === undefined) return null;
    const expecting = waiting.expectedEntity(state);
    const entities = expecting !== null ? (await this.deps.nlu.parse(message.text, { expecting })).entities : [];
    return waiting.whileQueued({ conversationId, state, message, entities, now });
  }

  /** A message answered without the dialogue (the waiting room, the survey): what it records and says. */
  private spoken(
    message: InboundMessage,
    conversationId: string,
    userSeq: number,
    now: Date,
    answer: { events: ConversationEvent[]; replies: OutboundMessage[] },
    markCommitted: () => void,
  ): ConversationChange<Decided> {
    const at = now.toISOString();
    const events: ConversationEvent[] = [userSaidEvent(message, at), ...answer.events];
    const replies = answer.replies.map((reply, i) => ({ seq: userSeq + events.length + i, message: reply }));
    events.push(...replies.map((r): ConversationEvent => ({ at, type: 'said', author: 'bot', message: r.message })));
    const address: DeliveryAddress = { conversationId, channel: message.channel, senderId: message.senderId };
    return {
      events,
      effects: replies.map((r): ConversationEffect => ({ kind: 'deliver', delivery: { address, seq: r.seq, author: 'bot', message: r.message } })),
      result: { kind: 'answered', conversationId, replies, userSeq },
      afterCommit: async () => markCommitted(),
    };
  }

  /** The survey's answer, when the message is one: a rating, or a comment that is not a new request. */
  private async surveyAnswer(message: InboundMessage, state: ConversationView['state'], now: Date) {
    const survey = this.deps.survey;
    if (survey === undefined) return null;
    const isRequest = survey.awaitsComment(state) && message.payload === undefined ? await this.isRequest(message) : false;
    return survey.answer(state, message, now, isRequest);
  }

  /** A confident intent with a flow of its own: a new request, never a comment on the last one. */
  private async isRequest(message: InboundMessage): Promise<boolean> {
    const nlu = await this.deps.nlu.parse(message.text, {});
    return nlu.intent !== null && nlu.outOfScope === null && !COMMENT_INTENTS.has(nlu.intent);
  }
}

function userSaidEvent(message: InboundMessage, at: string): ConversationEvent {
  return {
    at,
    type: 'user_said',
    channel: message.channel,
    providerMessageId: message.providerMessageId,
    senderId: message.senderId,
    text: message.text,
    ...(message.payload !== undefined ? { payload: message.payload } : {}),
  };
}
