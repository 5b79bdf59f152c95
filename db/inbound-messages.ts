import { sql, type Kysely, type Transaction } from 'kysely';
import { ChannelInboundSchema, type ChannelInbound } from '../core/inbound.js';
import type { ChannelName } from '../core/message.js';
import type { Database } from './schema.js';

/** Names one stored inbound message. */
export interface InboundKey {
  channel: ChannelName;
  providerMessageId: string;
}

/** A message a worker claimed: run its turn, then `finish` (or `release` on failure) with `attempt`. */
export interface ClaimedInbound {
  key: InboundKey;
  attempt: number;
  /** Null when the stored row no longer parses (poison: set aside with `giveUp`). */
  message: ChannelInbound | null;
}

const lease = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;

/**
 * Verified webhook messages between their acknowledgement and their turn. A sender's messages
 * are taken oldest first, one at a time: the head is claimed (fenced by `attempts`) before its
 * turn runs and deleted after it, so the text stays in one place, the conversation's log, once
 * processed. A message whose attempts reached the limit stays, set aside, for operators.
 */
export class InboundMessages {
  constructor(
    private readonly db: Kysely<Database>,
    /** Attempts after which a message no longer holds back its sender's later ones. */
    private readonly maxAttempts: number,
  ) {}

  /** Inside the caller's transaction (with its job). False when the message is already stored. */
  async insert(trx: Transaction<Database>, message: ChannelInbound): Promise<boolean> {
    const inserted = await trx
      .insertInto('inbound_messages')
      .values({ channel: message.channel, provider_message_id: message.providerMessageId, sender_id: message.sender.id, message: JSON.stringify(message) })
      .onConflict((oc) => oc.columns(['channel', 'provider_message_id']).doNothing())
      .returning('attempts')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** The sender of a stored message, or null once its turn ran. */
  async senderOf(key: InboundKey): Promise<string | null> {
    const row = await this.db
      .selectFrom('inbound_messages')
      .select('sender_id')
      .where('channel', '=', key.channel)
      .where('provider_message_id', '=', key.providerMessageId)
      .executeTakeFirst();
    return row?.sender_id ?? null;
  }

  /**
   * Claims the sender's oldest waiting message, unless a live claim (younger than
   * `leaseSeconds`) holds it: then its worker goes on to the next ones. Null: nothing to do here.
   */
  async claimHead(channel: ChannelName, senderId: string, leaseSeconds: number): Promise<ClaimedInbound | null> {
    const row = await this.db
      .updateTable('inbound_messages')
      .set({ claimed_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1` })
      .where('channel', '=', channel)
      .where('provider_message_id', '=', (eb) =>
        eb
          .selectFrom('inbound_messages')
          .select('provider_message_id')
          .where('channel', '=', channel)
          .where('sender_id', '=', senderId)
          .where('attempts', '<', this.maxAttempts)
          .orderBy('arrival')
          .limit(1),
      )
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', lease(leaseSeconds))]))
      .returning(['channel', 'provider_message_id', 'message', 'attempts'])
      .executeTakeFirst();
    if (row === undefined) return null;
    const parsed = ChannelInboundSchema.safeParse(typeof row.message === 'string' ? JSON.parse(row.message) : row.message);
    return { key: { channel: row.channel, providerMessageId: row.provider_message_id }, attempt: row.attempts, message: parsed.success ? parsed.data : null };
  }

  /** The turn ran: the message is in the conversation's log now. */
  async finish(claimed: ClaimedInbound): Promise<void> {
    await this.db
      .deleteFrom('inbound_messages')
      .where('channel', '=', claimed.key.channel)
      .where('provider_message_id', '=', claimed.key.providerMessageId)
      .where('attempts', '=', claimed.attempt)
      .execute();
  }

  /** The turn failed before it stored anything: the next attempt may claim it at once. */
  async release(claimed: ClaimedInbound): Promise<void> {
    await this.db
      .updateTable('inbound_messages')
      .set({ claimed_at: null })
      .where('channel', '=', claimed.key.channel)
      .where('provider_message_id', '=', claimed.key.providerMessageId)
      .where('attempts', '=', claimed.attempt)
      .execute();
  }

  /** Sets a message aside for good (it cannot be parsed, or its turn keeps failing). */
  async giveUp(claimed: ClaimedInbound): Promise<void> {
    await this.db
      .updateTable('inbound_messages')
      .set({ claimed_at: null, attempts: this.maxAttempts })
      .where('channel', '=', claimed.key.channel)
      .where('provider_message_id', '=', claimed.key.providerMessageId)
      .where('attempts', '=', claimed.attempt)
      .execute();
  }

  /** The sender's oldest waiting message, for the job that carries on a long backlog. */
  async headKey(channel: ChannelName, senderId: string): Promise<InboundKey | null> {
    const row = await this.db
      .selectFrom('inbound_messages')
      .select('provider_message_id')
      .where('channel', '=', channel)
      .where('sender_id', '=', senderId)
      .where('attempts', '<', this.maxAttempts)
      .orderBy('arrival')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : { channel, providerMessageId: row.provider_message_id };
  }

  /**
   * One waiting message per sender with nothing live in hand, for the start-up sweep to give a
   * fresh job: a message whose job was dead-lettered in a long outage is not left behind.
   */
  async waitingHeads(leaseSeconds: number, limit: number): Promise<InboundKey[]> {
    const rows = await this.db
      .selectFrom('inbound_messages')
      .select(['channel', sql<string>`min(provider_message_id)`.as('provider_message_id')])
      .where('attempts', '<', this.maxAttempts)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', lease(leaseSeconds))]))
      .groupBy(['channel', 'sender_id'])
      .limit(limit)
      .execute();
    return rows.map((r) => ({ channel: r.channel, providerMessageId: r.provider_message_id }));
  }

  /** Messages set aside after their attempts ran out (operators replay or discard them). */
  async setAside(limit = 100): Promise<InboundKey[]> {
    const rows = await this.db
      .selectFrom('inbound_messages')
      .select(['channel', 'provider_message_id'])
      .where('attempts', '>=', this.maxAttempts)
      .orderBy('arrival')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ channel: r.channel, providerMessageId: r.provider_message_id }));
  }
}
