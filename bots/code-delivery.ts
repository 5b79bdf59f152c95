import type { Notification, Notifier } from '../core/notifier.js';

/** What is logged when a code could not be sent: never the recipient, the code or the error text. */
export interface DeliveryFailure {
  transport: Notification['transport'];
  /** The error's class or code (e.g. `ECONNREFUSED`), which carries no personal data. */
  error: string;
}

/**
 * Hands verification codes to the notifier off the turn's path: the turn never waits for an
 * email or SMS, so how long a reply takes doesn't tell whether the claimed account exists.
 * The seam a transactional outbox will replace (send after commit, retried).
 */
export class CodeDelivery {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly notifier: Notifier,
    private readonly onFailure: (failure: DeliveryFailure) => void,
  ) {}

  /** Starts sending after the current turn's synchronous work; returns at once. */
  send(notification: Notification): void {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.notifier.send(notification))
      .catch((error: unknown) => this.onFailure({ transport: notification.transport, error: errorName(error) }))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves when every send started so far has finished (graceful shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown';
}
