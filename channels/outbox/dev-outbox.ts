import type { Notification, Notifier, OutboxEntry } from '../../core/notifier.js';

export type { OutboxEntry } from '../../core/notifier.js';

/** Where the outbox keeps its entries (db/outbox-messages.ts, in the shared database). */
export interface OutboxStore {
  add(entry: Omit<OutboxEntry, 'id' | 'createdAt'>): Promise<{ id: number }>;
  /** Newest first. */
  latest(limit: number): Promise<OutboxEntry[]>;
}

/**
 * The development outbox: emails and SMS that would have been sent are kept in the
 * database and shown at /dev/outbox, so a person can complete verification locally.
 */
export class DevOutbox implements Notifier {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: OutboxStore,
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
    const row = await this.store.add({ transport: notification.transport, recipient: notification.to, subject: notification.subject, body: notification.body });
    this.onSent({ id: row.id, transport: notification.transport, logLine: notification.devLogLine ?? notification.subject });
  }

  async list(limit = 50): Promise<OutboxEntry[]> {
    // Codes are sent off the turn's path: one handed over before this read is listed too, so
    // whoever just saw "I've sent a code" finds it here.
    await Promise.allSettled([...this.inFlight]);
    return this.store.latest(limit);
  }
}
