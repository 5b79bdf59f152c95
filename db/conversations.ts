import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConversationEventSchema, type ConversationEvent } from '../core/conversation.js';
import { SwitchboardError } from '../core/errors.js';
import type { ChannelName } from '../core/message.js';
import { projectionFromRow, type ConversationProjection } from './conversation-projection.js';
import type { ConversationRow, Database } from './schema.js';

export interface ContactRef {
  contactId: string;
  customerId: string | null;
}

export interface StoredEvent {
  seq: number;
  event: ConversationEvent;
}

/** Contacts, their channel identities, conversations and the conversation event log. */
export class ConversationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds the contact behind a channel identity, creating both on first contact. */
  async resolveContact(channel: ChannelName, senderId: string, displayName?: string): Promise<ContactRef> {
    const found = await this.findContact(channel, senderId);
    if (found) return found;
    const contactId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('contacts').values({ id: contactId, customer_id: null, display_name: displayName ?? null }).execute();
      await trx
        .insertInto('contact_identities')
        .values({ channel, sender_id: senderId, contact_id: contactId })
        .onConflict((oc) => oc.columns(['channel', 'sender_id']).doNothing())
        .execute();
    });
    // Another instance may have won the insert race; the identity row decides.
    return (await this.findContact(channel, senderId)) ?? { contactId, customerId: null };
  }

  private async findContact(channel: ChannelName, senderId: string): Promise<ContactRef | null> {
    const row = await this.db
      .selectFrom('contact_identities as i')
      .innerJoin('contacts as c', 'c.id', 'i.contact_id')
      .select(['c.id as contactId', 'c.customer_id as customerId'])
      .where('i.channel', '=', channel)
      .where('i.sender_id', '=', senderId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Links a contact to the shop customer it proved to be (after verification). */
  async linkCustomer(contactId: string, customerId: string): Promise<void> {
    await this.db.updateTable('contacts').set({ customer_id: customerId }).where('id', '=', contactId).execute();
  }

  /** The contact's open conversation on this channel, or a new one held by the bot. */
  async openConversation(contactId: string, channel: ChannelName): Promise<ConversationRow> {
    const open = await this.findOpen(contactId, channel);
    if (open) return open;
    const created = await this.db
      .insertInto('conversations')
      .values({ id: randomUUID(), contact_id: contactId, channel, status: 'bot', assignee_id: null, priority: 0, issue_type: null })
      // One open conversation per contact and channel (conversations_open_idx): a concurrent
      // first message from the same sender, on this instance or another, may have opened it.
      .onConflict((oc) => oc.columns(['contact_id', 'channel']).where('status', '<>', 'resolved').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (created) return created;
    const winner = await this.findOpen(contactId, channel);
    if (winner) return winner;
    // It was opened and resolved in between: rare enough that the client's retry settles it.
    throw new SwitchboardError('SB_ERR_LOCK_TIMEOUT', 'The conversation changed meanwhile; try again', [], { retryAfterSeconds: 1 });
  }

  private async findOpen(contactId: string, channel: ChannelName): Promise<ConversationRow | undefined> {
    return this.db
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('channel', '=', channel)
      .where('status', '<>', 'resolved')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * The conversation's projection (status, assignee, team, priority, last seq, reply identity,
   * waiting since), validated; null for an unknown id. It changes only with the events it folds.
   */
  async projection(conversationId: string): Promise<ConversationProjection | null> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    return row === undefined ? null : projectionFromRow(row);
  }

  /**
   * Catch-up for the live feed: the conversation's stored events with a seq above `seq`, in
   * order (at most `limit`). A consumer that saw seq n asks for `eventsAfter(id, n)`; -1 is the
   * whole log. Announcements carry only id, seq and type, so this is also how a consumer reads
   * what an announced event says.
   */
  async eventsAfter(conversationId: string, seq: number, limit = 1000): Promise<StoredEvent[]> {
    return this.loadEvents(conversationId, seq, limit);
  }

  async loadEvents(conversationId: string, afterSeq = -1, limit?: number): Promise<StoredEvent[]> {
    let query = this.db
      .selectFrom('conversation_events')
      .select(['seq', 'payload'])
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();
    // Rows are parsed again so an event written by an older version can't smuggle bad shapes in.
    return rows.map((row) => ({ seq: row.seq, event: ConversationEventSchema.parse(row.payload) }));
  }

  /** Whether the conversation's log already holds this provider message (what its unique index guards). */
  async hasProviderMessage(conversationId: string, providerMessageId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('conversation_events')
      .select('seq')
      .where('conversation_id', '=', conversationId)
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The newest conversation of a contact on a channel, whatever its status (transcript on reload). */
  async latestConversation(contactId: string, channel: ChannelName): Promise<ConversationRow | null> {
    return (
      (await this.db
        .selectFrom('conversations')
        .selectAll()
        .where('contact_id', '=', contactId)
        .where('channel', '=', channel)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null
    );
  }

  /** The contact behind a channel identity, without creating one. */
  async lookupContact(channel: ChannelName, senderId: string): Promise<ContactRef | null> {
    return this.findContact(channel, senderId);
  }
}
