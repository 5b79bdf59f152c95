import type { Kysely } from 'kysely';
import type { ChannelName } from '../core/message.js';
import { ConversationRepository } from './conversations.js';
import type { Database } from './schema.js';

/**
 * Records `alias` as a second identity of the contact behind (channel, senderId): WhatsApp gives a
 * customer's wa_id and, more and more, a business-scoped user id (`US.…`); a later message that
 * carries only one of them finds the same contact. An alias already held by another contact
 * stays with it: an id is never moved between people on a webhook's word.
 */
export async function linkContactAlias(db: Kysely<Database>, channel: ChannelName, senderId: string, alias: string): Promise<void> {
  // The customer may have written before with the alias only (phone withheld): the id now
  // given joins that contact rather than starting another.
  const known = await db.selectFrom('contact_identities').select('contact_id').where('channel', '=', channel).where('sender_id', '=', alias).executeTakeFirst();
  const contactId = known?.contact_id ?? (await new ConversationRepository(db).resolveContact(channel, senderId)).contactId;
  await db
    .insertInto('contact_identities')
    .values([
      { channel, sender_id: senderId, contact_id: contactId },
      { channel, sender_id: alias, contact_id: contactId },
    ])
    .onConflict((oc) => oc.columns(['channel', 'sender_id']).doNothing())
    .execute();
}
