import { sql, type Insertable, type Kysely } from 'kysely';
import { DeliveryErrorReasonSchema, type DeliveryErrorReason, type DeliveryReceipt, type DeliveryReport, type OutboundDelivery, type OutboundStatus } from '../core/channel.js';
import { SwitchboardError } from '../core/errors.js';
import { OutboundMessageSchema, type OutboundMessage } from '../core/message.js';
import type { Database, OutboundMessageRow, OutboundMessagesTable } from './schema.js';
import { seconds } from './sql-interval.js';

/** A row is named by the conversation and the seq of the `said` event it delivers. */
export interface OutboundKey {
  conversationId: string;
  seq: number;
}

export interface QueuedMessage extends OutboundKey {
  channel: string;
  identity: string;
  author: 'bot' | 'agent';
  /** Null when the stored content no longer parses (it is then failed, never sent half-read). */
  content: OutboundMessage | null;
  /** Attempts started so far: the fencing token a claim must name. */
  attempts: number;
  /** Why the last attempt did not send (`unknown_outcome`: it may have). */
  lastError: DeliveryErrorReason | null;
}

/** The first queued message of a conversation, and whether it can be sent now. */
export type ConversationHead =
  | { state: 'idle' }
  /** A live worker is sending it; it drains the rest. */
  | { state: 'busy'; leaseRemainingSeconds: number }
  /** Backoff or Retry-After: later messages wait behind it, in order. */
  | { state: 'waiting'; waitSeconds: number }
  | { state: 'ready'; message: QueuedMessage }
  /** Claimed by a worker whose lease ran out: it died mid-send, so the outcome is unknown. */
  | { state: 'orphaned'; message: QueuedMessage };

export type ReportOutcome = 'updated' | 'unchanged' | 'unknown';

/**
 * Which statuses a provider's report may advance from. Reports arrive out of order (a `read`
 * before its `delivered`); a row never moves backwards, and `failed` only replaces `sent`.
 */
export const REPORT_ADVANCES_FROM: Readonly<Record<DeliveryReport, readonly OutboundStatus[]>> = {
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  failed: ['sent'],
};

type Executor = Pick<Kysely<Database>, 'selectFrom' | 'insertInto'>;

/**
 * The row of one reply: queued for the delivery worker, or, for a channel sent at commit (web
 * chat), already sent with its receipt.
 */
export function outboundRow(delivery: OutboundDelivery, sent?: DeliveryReceipt): Insertable<OutboundMessagesTable> {
  return {
    conversation_id: delivery.address.conversationId,
    seq: delivery.seq,
    channel: delivery.address.channel,
    identity: delivery.address.senderId,
    author: delivery.author,
    content: JSON.stringify(delivery.message),
    ...(sent !== undefined ? { status: 'sent' as const, provider_message_id: sent.providerMessageId, attempts: 1 } : {}),
  };
}

/** The delivery state of outbound messages (`outbound_messages`). */
export class OutboundMessages {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores replies as queued rows on `executor` (the caller's transaction, or the database).
   * Each must deliver a stored `said` event: a seq that holds what the customer said is the
   * channel's own message, and sending it back would echo it. Enqueuing twice is a no-op.
   */
  async insertQueued(executor: Executor, deliveries: readonly OutboundDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.assertReplies(executor, deliveries);
    await executor
      .insertInto('outbound_messages')
      .values(deliveries.map((d) => outboundRow(d)))
      .onConflict((oc) => oc.columns(['conversation_id', 'seq']).doNothing())
      .execute();
  }

  private async assertReplies(executor: Executor, deliveries: readonly OutboundDelivery[]): Promise<void> {
    const stored = await executor
      .selectFrom('conversation_events')
      .select(['conversation_id', 'seq', 'type'])
      .where((eb) => eb.or(deliveries.map((d) => eb.and([eb('conversation_id', '=', d.address.conversationId), eb('seq', '=', d.seq)]))))
      .execute();
    const typeAt = new Map(stored.map((e) => [`${e.conversation_id}:${e.seq}`, e.type]));
    const refused = deliveries.flatMap((d, i) => {
      const type = typeAt.get(`${d.address.conversationId}:${d.seq}`);
      if (type === 'said') return [];
      return [{ path: `deliveries[${i}].seq`, message: type === 'user_said' ? 'is the customer’s own message: never sent back to the channel' : 'is not a stored reply' }];
    });
    if (refused.length > 0) throw new SwitchboardError('SB_ERR_INTERNAL', 'Refused to enqueue outbound messages that are not stored replies', refused);
  }

  async head(conversationId: string, leaseSeconds: number): Promise<ConversationHead> {
    const row = await this.db
      .selectFrom('outbound_messages')
      .select(['conversation_id', 'seq', 'channel', 'identity', 'author', 'content', 'attempts', 'last_error', 'claimed_at'])
      .select([
        sql<boolean>`claimed_at is not null and claimed_at > now() - ${seconds(leaseSeconds)}`.as('claim_fresh'),
        sql<number | null>`extract(epoch from claimed_at + ${seconds(leaseSeconds)} - now())::float8`.as('lease_remaining'),
        sql<number>`extract(epoch from next_attempt_at - now())::float8`.as('wait_seconds'),
      ])
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'queued')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return { state: 'idle' };
    if (row.claim_fresh) return { state: 'busy', leaseRemainingSeconds: Math.max(0, row.lease_remaining ?? 0) };
    const parsed = OutboundMessageSchema.safeParse(row.content);
    const message: QueuedMessage = {
      conversationId: row.conversation_id,
      seq: row.seq,
      channel: row.channel,
      identity: row.identity,
      author: row.author,
      content: parsed.success ? parsed.data : null,
      attempts: row.attempts,
      lastError: DeliveryErrorReasonSchema.nullable().catch(null).parse(row.last_error),
    };
    if (row.claimed_at !== null) return { state: 'orphaned', message };
    if (row.wait_seconds > 0) return { state: 'waiting', waitSeconds: row.wait_seconds };
    return { state: 'ready', message };
  }

  /**
   * Starts an attempt: marks the row as being sent, before anything goes out, so a worker that
   * dies mid-send leaves a trace. Null when another worker got there first.
   */
  async claim(key: OutboundKey, expectedAttempts: number, leaseSeconds: number): Promise<number | null> {
    const row = await this.db
      .updateTable('outbound_messages')
      .set({ claimed_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1`, updated_at: sql<Date>`now()` })
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .where('status', '=', 'queued')
      .where('attempts', '=', expectedAttempts)
      .where(sql<boolean>`next_attempt_at <= now()`)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), sql<boolean>`claimed_at <= now() - ${seconds(leaseSeconds)}`]))
      .returning('attempts')
      .executeTakeFirst();
    return row?.attempts ?? null;
  }

  /**
   * Records the provider's receipt. Also after the attempt was given up as `unknown_outcome`
   * (its worker seemed dead but was only slow): a receipt is a fact.
   */
  async recordSent(key: OutboundKey, attempt: number, receipt: DeliveryReceipt): Promise<boolean> {
    const result = await this.db
      .updateTable('outbound_messages')
      .set({ status: 'sent', provider_message_id: receipt.providerMessageId, claimed_at: null, last_error: null, updated_at: sql<Date>`now()` })
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('attempts', '=', attempt)]),
          eb.and([eb('status', '=', 'failed'), eb('last_error', '=', 'unknown_outcome')]),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends the attempt without sending; the next is not before `delayMs` from now (database clock). */
  async scheduleRetry(executor: Pick<Kysely<Database>, 'updateTable'>, key: OutboundKey, attempt: number, delayMs: number, reason: DeliveryErrorReason): Promise<boolean> {
    const result = await executor
      .updateTable('outbound_messages')
      .set({ claimed_at: null, last_error: reason, next_attempt_at: sql<Date>`now() + ${seconds(delayMs / 1000)}`, updated_at: sql<Date>`now()` })
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .where('status', '=', 'queued')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markFailed(key: OutboundKey, attempt: number, reason: DeliveryErrorReason): Promise<boolean> {
    const result = await this.db
      .updateTable('outbound_messages')
      .set({ status: 'failed', claimed_at: null, last_error: reason, updated_at: sql<Date>`now()` })
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .where('status', '=', 'queued')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Applies a provider's status report, found by the provider's id; never moves a row backwards. `reason`: why a failed one failed. */
  async recordReport(channel: string, providerMessageId: string, report: DeliveryReport, reason: 'undelivered' | 'opted_out' = 'undelivered'): Promise<ReportOutcome> {
    const result = await this.db
      .updateTable('outbound_messages')
      .set({ status: report, ...(report === 'failed' ? { last_error: reason } : {}), updated_at: sql<Date>`now()` })
      .where('channel', '=', channel)
      .where('provider_message_id', '=', providerMessageId)
      .where('status', 'in', REPORT_ADVANCES_FROM[report])
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return 'updated';
    return (await this.isOwnMessage(channel, providerMessageId)) ? 'unchanged' : 'unknown';
  }

  /**
   * True when the provider's id names a message Switchboard sent: an inbound webhook carrying it
   * is the channel echoing our own message, not the customer speaking.
   */
  async isOwnMessage(channel: string, providerMessageId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('outbound_messages')
      .select('seq')
      .where('channel', '=', channel)
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async find(key: OutboundKey): Promise<OutboundMessageRow | undefined> {
    return this.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .executeTakeFirst();
  }

  /** Conversations with messages still to send (the start-up sweep nudges each). */
  async conversationsWithQueued(limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('outbound_messages').select('conversation_id').distinct().where('status', '=', 'queued').limit(limit).execute();
    return rows.map((r) => r.conversation_id);
  }
}
