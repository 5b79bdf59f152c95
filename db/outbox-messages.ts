import type { Kysely } from 'kysely';
import type { OutboxEntry as OutboxMessage } from '../core/notifier.js';
import type { Database } from './schema.js';

/** The development outbox's table (channels/outbox/dev-outbox.ts decides what goes in). */
export class OutboxMessages {
  constructor(private readonly db: Kysely<Database>) {}

  async add(message: Omit<OutboxMessage, 'id' | 'createdAt'>, effectKey: string | null): Promise<{ id: number } | null> {
    const row = await this.db
      .insertInto('outbox_messages')
      .values({ ...message, effect_key: effectKey })
      .onConflict((oc) => oc.column('effect_key').where('effect_key', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ?? null;
  }

  /** Newest first. */
  async latest(limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db.selectFrom('outbox_messages').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, transport: r.transport, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at }));
  }
}
