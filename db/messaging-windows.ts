import { sql, type Kysely } from 'kysely';
import type { MessagingWindowStore, WindowKey } from '../channels/messaging-window.js';
import type { Database } from './schema.js';

/** The customer-service windows in Postgres/PGlite (migration 0020; rules in channels/messaging-window.ts). */
export class MessagingWindows implements MessagingWindowStore {
  constructor(private readonly db: Kysely<Database>) {}

  async recordInbound(key: WindowKey & { at: Date }): Promise<void> {
    await this.db
      .insertInto('messaging_windows')
      .values({ channel: key.channel, business: key.business, customer: key.customer, last_inbound_at: key.at })
      .onConflict((oc) =>
        oc.columns(['channel', 'business', 'customer']).doUpdateSet({
          // Never backwards: a redelivered old message leaves a newer start where it is.
          last_inbound_at: sql<Date>`greatest(messaging_windows.last_inbound_at, excluded.last_inbound_at)`,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
  }

  async lastInbound(key: WindowKey): Promise<Date | null> {
    const row = await this.db
      .selectFrom('messaging_windows')
      .select('last_inbound_at')
      .where('channel', '=', key.channel)
      .where('business', '=', key.business)
      .where('customer', '=', key.customer)
      .executeTakeFirst();
    return row === undefined ? null : new Date(row.last_inbound_at);
  }
}
