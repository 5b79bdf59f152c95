import type { Notification, NotificationReceipt, Notifier, NotifyOptions, OutboxEntry } from '../../core/notifier.js';

export type { OutboxEntry } from '../../core/notifier.js';

/** Where the outbox keeps its entries (db/outbox-messages.ts, in the shared database). */
export interface OutboxStore {
  /** Null when an entry with this effect key is already there (the effect ran again after a crash). */
  add(entry: Omit<OutboxEntry, 'id' | 'createdAt'>, effectKey: string | null): Promise<{ id: number } | null>;
  /** Newest first. */
  latest(limit: number): Promise<OutboxEntry[]>;
}

/**
 * The development outbox: emails and SMS that would have been sent are kept in the
 * database and shown at /dev/outbox, so a person can complete verification locally.
 */
export class DevOutbox implements Notifier {
  constructor(
    private readonly store: OutboxStore,
    private readonly onSent: (entry: { id: number; transport: string; logLine: string }) => void = () => undefined,
    /**
     * Notifications decided but not sent yet (a worker sends them after the turn's commit), on
     * every instance: `list` waits for them, briefly, so whoever was just told "I've sent you a
     * code" finds it here.
     */
    private readonly unsent: () => Promise<number> = () => Promise.resolve(0),
    private readonly settleMs = 5000,
  ) {}

  async send(notification: Notification, options: NotifyOptions = {}): Promise<NotificationReceipt> {
    const row = await this.store.add(
      { transport: notification.transport, recipient: notification.to, subject: notification.subject, body: notification.body },
      options.effectKey ?? null,
    );
    if (row !== null) this.onSent({ id: row.id, transport: notification.transport, logLine: notification.devLogLine ?? notification.subject });
    // A repeat of an effect it already holds: the first entry is the one the customer reads.
    return { via: 'dev-outbox', providerMessageId: row === null ? null : `outbox:${row.id}` };
  }

  async list(limit = 50): Promise<OutboxEntry[]> {
    const deadline = Date.now() + this.settleMs;
    while ((await this.unsent()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.store.latest(limit);
  }
}
