import type { Kysely } from 'kysely';
import type { ChannelName } from '../core/message.js';
import type { ContactRef } from '../db/conversations.js';
import type { Database } from '../db/schema.js';
import { senderPhone, type PhoneDirectory } from './phone-identity.js';

/**
 * One conversation across channels: a sender with no open conversation of their own on this
 * channel continues the customer's open conversation on another channel (web chat → SMS, or
 * back), keeping its frames, its verification within its validity and its case. Who the sender
 * is comes only from what the server knows, never from what a message claims: the sender's
 * contact proved it with a code earlier (`contacts.customer_id`), or the number they write from
 * is on file for exactly this one customer; a shared number continues nobody's conversation.
 * The conversation joined must belong to a contact that proved the same customer by a code.
 */
export class CrossChannelContinuation {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly phones: Pick<PhoneDirectory, 'match'>,
  ) {}

  async conversationFor(contact: ContactRef, channel: ChannelName, senderId: string): Promise<string | null> {
    // The sender's own open conversation here wins: two open conversations are never merged.
    const own = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', contact.contactId)
      .where('channel', '=', channel)
      .where('status', '<>', 'resolved')
      .executeTakeFirst();
    if (own !== undefined) return null;
    const customerId = contact.customerId ?? (await this.matchedCustomer(channel, senderId));
    if (customerId === null) return null;
    const other = await this.db
      .selectFrom('conversations as conv')
      .innerJoin('contacts as c', 'c.id', 'conv.contact_id')
      .select('conv.id')
      .where('c.customer_id', '=', customerId)
      .where('conv.status', '<>', 'resolved')
      .where('conv.channel', '<>', channel)
      .orderBy('conv.updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return other?.id ?? null;
  }

  private async matchedCustomer(channel: ChannelName, senderId: string): Promise<string | null> {
    const phone = senderPhone(channel, senderId);
    if (phone === null) return null;
    const match = await this.phones.match(phone);
    return match.kind === 'one' ? match.customerId : null;
  }
}
