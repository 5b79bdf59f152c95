import type { Kysely } from 'kysely';
import type { Notification, Notifier } from '../../core/notifier.js';
import type { Database } from '../../db/schema.js';

export interface OutboxEntry {
  id: number;
  transport: string;
  recipient: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/**
 * The development outbox: emails and SMS that would have been sent are kept in the
 * database and shown at /dev/outbox, so a person can complete verification locally.
 */
export class DevOutbox implements Notifier {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onSent: (entry: { id: number; transport: string; logLine: string }) => void = () => undefined,
  ) {}

  async send(notification: Notification): Promise<void> {
    const insert = this.insert(notification);
    this.inFlight.add(insert);
    try {
      await insert;
    } finally {
      this.inFlight.delete(insert);
    }
  }

  private async insert(notification: Notification): Promise<void> {
    const row = await this.db
      .insertInto('outbox_messages')
      .values({ transport: notification.transport, recipient: notification.to, subject: notification.subject, body: notification.body })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.onSent({ id: row.id, transport: notification.transport, logLine: notification.devLogLine ?? notification.subject });
  }

  async list(limit = 50): Promise<OutboxEntry[]> {
    // Codes are sent off the turn's path: one handed over before this read is listed too, so
    // whoever just saw "I've sent a code" finds it here.
    await Promise.allSettled([...this.inFlight]);
    const rows = await this.db.selectFrom('outbox_messages').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, transport: r.transport, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at }));
  }
}
