import { NoTransportError, type Notification, type NotificationReceipt, type NotificationTransport, type Notifier, type NotifyOptions } from '../../core/notifier.js';

export interface NotificationRoutes {
  /** SMTP when configured. */
  email: Notifier | null;
  /** Twilio when configured. */
  sms: Notifier | null;
  /**
   * What carries a transport that is not configured: the development outbox outside production,
   * nothing in production (the notification's row then fails with `no_transport`, visibly).
   */
  fallback: Notifier | null;
}

/** Sends each notification through the transport configured for it (`notification.transport`). */
export class NotificationRouter implements Notifier {
  constructor(private readonly routes: NotificationRoutes) {}

  send(notification: Notification, options?: NotifyOptions): Promise<NotificationReceipt> {
    const notifier = this.carrierOf(notification.transport);
    if (notifier === null) return Promise.reject(new NoTransportError(notification.transport));
    return notifier.send(notification, options);
  }

  /** Whether a transport reaches customers for real (not only the development outbox). */
  delivers(transport: NotificationTransport): boolean {
    return this.routes[transport] !== null;
  }

  private carrierOf(transport: NotificationTransport): Notifier | null {
    return this.routes[transport] ?? this.routes.fallback;
  }
}
