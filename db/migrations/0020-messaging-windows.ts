import { sql, type Kysely } from 'kysely';

// WhatsApp, Messenger and Instagram let a business write free-form only within 24 hours of the
// customer's last message (channels/messaging-window.ts). One row per (channel, business number
// or page, customer), moved forward by every inbound message and never back, so an old webhook
// Meta redelivers days later cannot reopen or shorten the window.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messaging_windows')
    .addColumn('channel', 'text', (c) => c.notNull())
    /** The business side: WhatsApp phone-number id, Facebook page id, Instagram account id, Twilio sender. */
    .addColumn('business', 'text', (c) => c.notNull())
    /** The customer's id on that channel (wa_id, business-scoped user id, PSID / IGSID). */
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('messaging_windows_pk', ['channel', 'business', 'customer'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('messaging_windows').ifExists().execute();
}
