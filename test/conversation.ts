import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';
import { ChannelInboundSchema, toTurnMessage, type ChannelInbound } from '../core/inbound.js';
import type { ChoiceOption } from '../core/message.js';
import { webchatInbound } from '../channels/webchat/connector.js';
import { ConversationRepository } from '../db/conversations.js';
import { OutboxMessages } from '../db/outbox-messages.js';
import { outcomeOf, type ConversationOutcome } from './conversation-outcome.js';
import { numberedOptions, rendered, SentTurn, type HarnessChannel, type TurnResult } from './conversation-turn.js';
import { startTestService, type Deployment, type TestService } from './service.js';
import { ShopReset } from './shop-reset.js';

export { SentTurn, type HarnessChannel, type TurnResult } from './conversation-turn.js';

/** A one-time code: six digits shortly after the word "code" (an order confirmation names an order number, not a code). */
const CODE_PATTERN = /\bcode\b\D{0,40}?\b(\d{6})\b/i;

/** One customer talking to the bot through the real turn pipeline, in-process. */
export class HarnessConversation {
  private queue: Promise<unknown> = Promise.resolve();
  private conversationId: string | null = null;
  /** Outbox entries up to this id are old news: sent before this conversation, or already typed. */
  private seenOutboxId: number;
  private turnCount = 0;
  /** What the customer saw after their last message. */
  private lastShown: string[] = [];

  constructor(
    private readonly harness: ConversationHarness,
    readonly channel: HarnessChannel,
    private readonly senderId: string,
    private readonly clientIp: string,
    firstOutboxId: number,
    private readonly locale: string | undefined,
  ) {
    this.seenOutboxId = firstOutboxId;
  }

  /** Sends what the customer typed. */
  send(text: string): SentTurn {
    return this.enqueue(() => this.turn(text, undefined));
  }

  /** Presses the button whose label matches (web chat only: a text-only channel has none). */
  press(label: string | RegExp): SentTurn {
    return this.enqueue(async () => {
      if (this.channel === 'text') throw new Error('a text-only channel has no buttons: send the number or the label as text');
      const offered = await this.offeredButtons();
      const option = offered.find((o) => (typeof label === 'string' ? o.label === label || o.value === label : label.test(o.label)));
      if (option === undefined) throw new Error(`no button matching ${String(label)}; offered: ${offered.map((o) => o.label).join(' | ') || '(none)'}`);
      return this.turn(option.label, option.value);
    });
  }

  /**
   * Picks the offered option whose label matches, the way this channel allows: its button on web
   * chat, its number ("2") on a text-only channel, read from the numbered list the customer saw.
   */
  choose(label: RegExp): SentTurn {
    if (this.channel === 'webchat') return this.press(label);
    return this.enqueue(async () => {
      const listed = numberedOptions(this.lastShown);
      const option = listed.find((o) => label.test(o.label));
      if (option === undefined) throw new Error(`no listed option matching ${String(label)}; listed: ${listed.map((o) => `${o.number}. ${o.label}`).join(' | ') || '(none)'}`);
      return this.turn(option.number, undefined);
    });
  }

  /** Types the newest one-time code sent to `recipient` since the last one typed, as `format` writes it. */
  typeCode(recipient: string, format: (code: string) => string = (code) => code): SentTurn {
    return this.enqueue(async () => {
      const code = await this.takeCode(recipient);
      if (code === null) throw new Error(`no new code was sent to ${recipient}`);
      return this.turn(format(code), undefined);
    });
  }

  /**
   * The newest code sent to `recipient` that this conversation has not typed yet, or null. Waits
   * up to `waitMs`: codes may be sent after the turn's commit.
   */
  async takeCode(recipient: string, waitMs = 3000): Promise<string | null> {
    await this.harness.settle();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const entries = await this.harness.outbox.latest(50);
      const fresh = entries.find((e) => e.id > this.seenOutboxId && e.recipient === recipient && CODE_PATTERN.test(e.body));
      if (fresh !== undefined) {
        this.seenOutboxId = Math.max(this.seenOutboxId, fresh.id);
        return CODE_PATTERN.exec(fresh.body)?.[1] ?? null;
      }
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits for every message sent so far, then reads what the conversation came to. */
  async outcome(): Promise<ConversationOutcome> {
    await this.queue.catch(() => undefined);
    await this.harness.settle();
    if (this.conversationId === null) return outcomeOf([]);
    const stored = await this.harness.conversations.loadEvents(this.conversationId);
    return outcomeOf(stored.map((s) => s.event));
  }

  /** The conversation the customer's last message went to (null before the first). */
  get id(): string | null {
    return this.conversationId;
  }

  /** The conversation's event log as stored, once the work its turns left to workers is done. */
  async events(): Promise<ConversationEvent[]> {
    await this.queue.catch(() => undefined);
    await this.harness.settle();
    if (this.conversationId === null) return [];
    return (await this.harness.conversations.loadEvents(this.conversationId)).map((s) => s.event);
  }

  /** Fails unless a flow in `flows` ended resolved (and no person took over). */
  async expectResolved(flows: string | readonly string[]): Promise<ConversationOutcome> {
    const names = typeof flows === 'string' ? [flows] : flows;
    const outcome = await this.outcome();
    const resolved = outcome.flows.some((f) => names.includes(f.flow) && f.ending === 'resolved');
    if (!resolved || outcome.handoff !== null) throw new Error(`expected ${names.join(' or ')} resolved by the bot; got ${describeOutcome(outcome)}`);
    return outcome;
  }

  /** Fails unless the conversation went to a person, for a reason matching `reason` when given. */
  async expectHandedOff(reason?: RegExp): Promise<ConversationOutcome> {
    const outcome = await this.outcome();
    const why = outcome.handoff === null ? null : `${outcome.handoff.reason} ${outcome.handoff.issueType ?? ''}`;
    if (why === null || (reason !== undefined && !reason.test(why))) throw new Error(`expected a hand-off${reason ? ` matching ${String(reason)}` : ''}; got ${describeOutcome(outcome)}`);
    return outcome;
  }

  async expectStatus(status: ConversationStatus): Promise<ConversationOutcome> {
    const outcome = await this.outcome();
    if (outcome.status !== status) throw new Error(`expected status ${status}; got ${describeOutcome(outcome)}`);
    return outcome;
  }

  private enqueue(run: () => Promise<TurnResult>): SentTurn {
    const next = this.queue.catch(() => undefined).then(run);
    this.queue = next;
    return new SentTurn(next);
  }

  private async offeredButtons(): Promise<ChoiceOption[]> {
    if (this.conversationId === null) return [];
    const stored = await this.harness.conversations.loadEvents(this.conversationId);
    for (const { event } of [...stored].reverse()) {
      if (event.type === 'user_said') return [];
      if (event.type === 'said' && event.author === 'bot' && event.message.kind === 'choice') return event.message.options;
    }
    return [];
  }

  private async turn(text: string, payload: string | undefined): Promise<TurnResult> {
    this.turnCount += 1;
    const id = `h${this.turnCount}${randomBytes(6).toString('hex')}`;
    const receivedAt = new Date();
    const inbound: ChannelInbound =
      this.channel === 'webchat'
        ? webchatInbound(this.senderId, { id, text, payload }, receivedAt)
        : { channel: 'test', providerMessageId: id, sender: { id: this.senderId }, content: { kind: 'text', text }, receivedAt: receivedAt.toISOString() };
    // The same normalization and limits every connector's messages pass.
    const normalized = ChannelInboundSchema.parse(this.locale === undefined ? inbound : { ...inbound, locale: this.locale });
    const outcome = await this.harness.service.turns.handle(toTurnMessage(normalized, { clientIp: this.clientIp }));
    if (outcome.kind === 'duplicate') throw new Error('the turn was dropped as a duplicate');
    this.conversationId = outcome.conversationId;
    const replies = outcome.kind === 'relayed' ? [] : outcome.replies.map((r) => r.message);
    const result = rendered(outcome.kind, replies, this.channel);
    this.lastShown = result.shown;
    return result;
  }
}


export function describeOutcome(outcome: ConversationOutcome): string {
  const flows = outcome.flows.map((f) => `${f.flow}:${f.ending}`).join(', ') || 'no flow';
  const handoff = outcome.handoff === null ? 'not handed off' : `handed off (${outcome.handoff.reason}; ${outcome.handoff.issueType ?? 'no issue type'})`;
  return `status ${outcome.status}, ${flows}, ${handoff}`;
}

/**
 * One harness for the tests of a file (or describe block): started before them, the shop put
 * back after each, closed after all. Returns a getter, since the harness exists only once started.
 */
export function sharedHarness(options: HarnessOptions | (() => Promise<HarnessOptions>) = {}): () => ConversationHarness {
  let harness: ConversationHarness | undefined;
  beforeAll(async () => {
    harness = await ConversationHarness.start(typeof options === 'function' ? await options() : options);
  });
  afterEach(async () => {
    await harness?.resetShop();
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (harness === undefined) throw new Error('the conversation harness is used before its beforeAll ran');
    return harness;
  };
}

export interface HarnessOptions {
  /** The embedded deployment (PGlite, in-process state) unless Redis + Postgres is asked for. */
  deployment?: Deployment;
  /** Settings over the test defaults (test/service.ts). */
  env?: Record<string, string>;
}

/**
 * Conversations through the whole service built by `startService` (NLU, dialogue, flows, the
 * write path, stores and database), handed to the TurnProcessor as a channel would hand them,
 * without HTTP. Verification codes are read from the development outbox's table.
 */
export class ConversationHarness {
  readonly conversations: ConversationRepository;
  readonly outbox: OutboxMessages;
  private count = 0;

  private constructor(
    readonly service: TestService,
    private readonly shop: ShopReset,
  ) {
    this.conversations = new ConversationRepository(service.database.db);
    this.outbox = new OutboxMessages(service.database.db);
  }

  static async start(options: HarnessOptions = {}): Promise<ConversationHarness> {
    const service = await startTestService(options.deployment ?? 'embedded', options.env ?? {});
    try {
      return new ConversationHarness(service, await ShopReset.capture(service.database.db));
    } catch (error) {
      await service.dispose();
      throw error;
    }
  }

  /** A new customer (a new sender on the channel, from an address of its own). */
  async conversation(options: { channel?: HarnessChannel; locale?: string } = {}): Promise<HarnessConversation> {
    this.count += 1;
    const channel = options.channel ?? 'webchat';
    const senderId = channel === 'webchat' ? `visitor-${randomBytes(8).toString('hex')}` : `+1555${String(this.count).padStart(7, '0')}`;
    // Documentation addresses (RFC 3849): a distinct client per conversation, as real customers are.
    const clientIp = `2001:db8::${this.count.toString(16)}`;
    const newest = (await this.outbox.latest(1))[0]?.id ?? 0;
    return new HarnessConversation(this, channel, senderId, clientIp, newest, options.locale);
  }

  /**
   * Puts orders, returns, cases and verification budgets back as they were after seeding, once
   * the work the last conversation left to the job queue is done (so none lands on the fresh shop).
   */
  async resetShop(): Promise<void> {
    await this.settle();
    await this.shop.restore();
  }

  /**
   * Waits (bounded) until the durable job queue has nothing ready to run: what a turn leaves to
   * workers after its commit (a code to send, a reply to deliver, an effect) has been done. Read
   * from pg-boss's own table, which every version of the queue keeps, rather than from one
   * worker's internals; jobs scheduled for later (a delivery's retry) and dead letters (no worker
   * takes them) don't count.
   */
  async settle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let idleReads = 0;
    while (idleReads < 2 && Date.now() < deadline) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now() and name not like '%-dead'`.execute(this.service.database.db);
      idleReads = (rows[0]?.n ?? 0) === 0 ? idleReads + 1 : 0;
      if (idleReads < 2) await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  async close(): Promise<void> {
    await this.service.dispose();
  }
}
