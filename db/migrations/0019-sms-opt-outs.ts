import { sql, type Kysely } from 'kysely';

// Carriers and Twilio require that a number which texted STOP receives nothing more until it
// texts START (channels/twilio/keywords.ts). One row per (channel, address): `opted_out` is the
// current state, kept with when and by which keyword it last changed, so an opt-in does not
// erase the history of the opt-out (and vice versa) beyond the last change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_opt_outs')
    .addColumn('channel', 'text', (c) => c.notNull())
    /** The customer's address on the channel: E.164 for SMS and WhatsApp. */
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('opted_out', 'boolean', (c) => c.notNull())
    /** What changed it: the keyword the customer sent, or `provider_21610` when Twilio reported the number unsubscribed. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_opt_outs_pk', ['channel', 'address'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_opt_outs').ifExists().execute();
}
