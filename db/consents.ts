import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { CustomerChannelSchema, type CustomerChannel } from '../core/message.js';
import type { Database } from './schema.js';

/** Where a consent was given or withdrawn: in a conversation ("text me updates") or by the shop (admin API). */
export const ConsentSourceSchema = z.enum(['conversation', 'admin']);
export type ConsentSource = z.infer<typeof ConsentSourceSchema>;

export const ConsentChangeSchema = z.object({
  customerId: z.string().min(1).max(64),
  channel: CustomerChannelSchema,
  granted: z.boolean(),
  at: z.date(),
  source: ConsentSourceSchema,
  conversationId: z.string().nullable().default(null),
});
export type ConsentChange = z.input<typeof ConsentChangeSchema>;

type Executor = Pick<Kysely<Database>, 'insertInto'>;

/**
 * Consent to proactive order updates, per customer and channel. Append-only: every grant and
 * withdrawal is kept with its time and source, and the newest one per channel holds, so what a
 * customer agreed to (and when, and how) can always be shown.
 */
export class Consents {
  constructor(private readonly db: Kysely<Database>) {}

  static async record(executor: Executor, changes: readonly ConsentChange[]): Promise<void> {
    if (changes.length === 0) return;
    const rows = changes.map((c) => ConsentChangeSchema.parse(c));
    await executor
      .insertInto('customer_consents')
      .values(rows.map((c) => ({ customer_id: c.customerId, channel: c.channel, granted: c.granted, at: c.at, source: c.source, conversation_id: c.conversationId })))
      .execute();
  }

  async record(changes: readonly ConsentChange[]): Promise<void> {
    await Consents.record(this.db, changes);
  }

  /** The channels the customer consented on now (the newest change per channel is a grant). */
  async grantedChannels(customerId: string): Promise<CustomerChannel[]> {
    const rows = await this.db
      .selectFrom('customer_consents as c')
      .select(['c.channel', 'c.granted'])
      .where('c.customer_id', '=', customerId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('customer_consents as later')
              .select(sql`1`.as('one'))
              .whereRef('later.customer_id', '=', 'c.customer_id')
              .whereRef('later.channel', '=', 'c.channel')
              .where((eb) => eb.or([eb('later.at', '>', eb.ref('c.at')), eb.and([eb('later.at', '=', eb.ref('c.at')), eb('later.id', '>', eb.ref('c.id'))])])),
          ),
        ),
      )
      .execute();
    return rows.filter((r) => r.granted).flatMap((r) => CustomerChannelSchema.safeParse(r.channel).data ?? []);
  }

  /** Every change of a customer's consent, oldest first (what an operator shows when asked). */
  async history(customerId: string): Promise<Array<{ channel: string; granted: boolean; at: Date; source: string }>> {
    return this.db.selectFrom('customer_consents').select(['channel', 'granted', 'at', 'source']).where('customer_id', '=', customerId).orderBy('at').orderBy('id').execute();
  }
}
