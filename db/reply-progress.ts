import type { Kysely } from 'kysely';
import type { ChannelName } from '../core/message.js';
import type { Database } from './schema.js';

/**
 * True once an inbound message's turn ran (its row leaves `inbound_messages` when the turn
 * commits, its replies stored in the same commit) and none of the customer's replies is still
 * queued: every reply was handed to the sender. What a webhook that answers with the reply
 * (Twilio's TwiML) waits for.
 */
export async function repliesSettled(db: Kysely<Database>, key: { channel: ChannelName; address: string; providerMessageId: string }): Promise<boolean> {
  const waiting = await db
    .selectFrom('inbound_messages')
    .select('provider_message_id')
    .where('channel', '=', key.channel)
    .where('provider_message_id', '=', key.providerMessageId)
    .executeTakeFirst();
  if (waiting !== undefined) return false;
  const queued = await db
    .selectFrom('outbound_messages')
    .select('seq')
    .where('channel', '=', key.channel)
    .where('identity', '=', key.address)
    .where('status', '=', 'queued')
    .limit(1)
    .executeTakeFirst();
  return queued === undefined;
}
