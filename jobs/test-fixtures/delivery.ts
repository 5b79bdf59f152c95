import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DeliveryError,
  type ChannelSender,
  type DeliveryAddress,
  type DeliveryFailure,
  type DeliveryReceipt,
  type OutboundDelivery,
  type SendContext,
} from '../../core/channel.js';
import type { ConversationEvent } from '../../core/conversation.js';
import type { ChannelName, OutboundKind, OutboundMessage } from '../../core/message.js';
import type { Database } from '../../db/schema.js';
import type { JobLogger } from '../queue.js';

export const silentLog: JobLogger = { warn: () => undefined, error: () => undefined };

/** Polls `read` until `done` holds; fails after `timeoutMs` with the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/**
 * A conversation as the turn leaves it: the customer's message at seq 0, then the bot's
 * replies stored as `said` events. Returns the deliveries for those replies.
 */
export async function storedConversation(db: Kysely<Database>, channel: ChannelName, replies: OutboundMessage[]): Promise<{ conversationId: string; deliveries: OutboundDelivery[]; address: DeliveryAddress }> {
  const conversationId = randomUUID();
  const contactId = randomUUID();
  const address: DeliveryAddress = { conversationId, channel, senderId: `+1555${Math.floor(Math.random() * 1e7)}` };
  await db.insertInto('contacts').values({ id: contactId, customer_id: null, display_name: null }).execute();
  await db.insertInto('conversations').values({ id: conversationId, contact_id: contactId, channel, status: 'bot', assignee_id: null, priority: 0, issue_type: null }).execute();
  const at = new Date().toISOString();
  const events: ConversationEvent[] = [
    { at, type: 'user_said', channel, providerMessageId: `in-${conversationId}`, text: 'where is my order' },
    ...replies.map((message): ConversationEvent => ({ at, type: 'said', author: 'bot', message })),
  ];
  await db
    .insertInto('conversation_events')
    .values(events.map((event, seq) => ({ conversation_id: conversationId, seq, type: event.type, provider_message_id: event.type === 'user_said' ? event.providerMessageId : null, payload: JSON.stringify(event) })))
    .execute();
  return { conversationId, address, deliveries: replies.map((message, i) => ({ address, seq: i + 1, author: 'bot', message })) };
}

export type Outcome = 'ok' | DeliveryFailure | 'throws';

export interface SenderCall {
  conversationId: string;
  seq: number;
  idempotencyKey: string;
  message: OutboundMessage;
  at: number;
  outcome: Outcome;
}

/** A text-only channel whose answers are scripted per conversation; unscripted sends succeed. */
export class ScriptedSender implements ChannelSender {
  readonly renders: ReadonlySet<OutboundKind> = new Set<OutboundKind>(['text']);
  readonly calls: SenderCall[] = [];
  private readonly scripts = new Map<string, Outcome[]>();

  constructor(
    readonly channel: ChannelName,
    readonly dedupesByIdempotencyKey: boolean,
  ) {}

  script(conversationId: string, outcomes: Outcome[]): void {
    this.scripts.set(conversationId, [...outcomes]);
  }

  callsFor(conversationId: string): SenderCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId);
  }

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const outcome = this.scripts.get(address.conversationId)?.shift() ?? 'ok';
    this.calls.push({ conversationId: address.conversationId, seq: context.seq, idempotencyKey: context.idempotencyKey, message, at: Date.now(), outcome });
    await Promise.resolve();
    if (outcome === 'throws') throw new Error('socket hang up');
    if (outcome !== 'ok') throw new DeliveryError(outcome);
    // Like providers that de-duplicate: one id per idempotency key.
    return { providerMessageId: `${this.channel}-${context.idempotencyKey}` };
  }
}
