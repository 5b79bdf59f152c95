import { sql, type Kysely } from 'kysely';
import type { ChannelName } from '../core/message.js';
import type { Database } from './schema.js';

/** What opted a number out or back in: the keyword it sent, or the provider telling us (Twilio 21610). */
export type OptOutSource = string;

type Executor = Pick<Kysely<Database>, 'selectFrom' | 'insertInto'>;

/**
 * True when the customer at `address` on `channel` opted out (texted STOP or a synonym, or the
 * provider reported the number unsubscribed) and has not opted back in: nothing may be sent to
 * it, neither a reply nor a proactive notice.
 */
export async function isOptedOut(db: Executor, channel: ChannelName, address: string): Promise<boolean> {
  const row = await db.selectFrom('channel_opt_outs').select('opted_out').where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
  return row?.opted_out === true;
}

/** Records an opt-out; repeating it only refreshes when and how. */
export async function recordOptOut(db: Executor, channel: ChannelName, address: string, source: OptOutSource): Promise<void> {
  await upsert(db, channel, address, true, source);
}

/** Records an opt-in (START, YES, UNSTOP): messages may be sent again. */
export async function recordOptIn(db: Executor, channel: ChannelName, address: string, source: OptOutSource): Promise<void> {
  await upsert(db, channel, address, false, source);
}

async function upsert(db: Executor, channel: ChannelName, address: string, optedOut: boolean, source: OptOutSource): Promise<void> {
  await db
    .insertInto('channel_opt_outs')
    .values({ channel, address, opted_out: optedOut, source })
    .onConflict((oc) => oc.columns(['channel', 'address']).doUpdateSet({ opted_out: optedOut, source, changed_at: sql<Date>`now()` }))
    .execute();
}
