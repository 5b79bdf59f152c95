import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { DeliveryError } from '../../core/channel.js';
import type { Notification, NotificationReceipt, Notifier, NotifyOptions } from '../../core/notifier.js';
import { smtpDeliveryError } from './smtp-failure.js';

export interface SmtpNotifierOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://… (TLS from the start). */
  url: string;
  /** The sender: an address, or `Name <address>`. */
  from: string;
  /** Connection, greeting and socket timeouts: a send must end well within the effect's lease. */
  timeoutMs?: number;
}

/**
 * Emails (one-time codes, reset links, confirmations) over SMTP with nodemailer: plain text,
 * from MAIL_FROM. The Message-ID is derived from the effect's key, the same on every retry, so
 * a retried effect is one message to mail systems that collapse duplicates by Message-ID.
 */
export class SmtpNotifier implements Notifier {
  private readonly transporter: ReturnType<typeof createSmtpTransport>;
  private readonly domain: string;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.transporter = createSmtpTransport(options.url, options.timeoutMs ?? 15_000);
    this.domain = /@([^@>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'switchboard.invalid';
  }

  async send(notification: Notification, options: NotifyOptions = {}): Promise<NotificationReceipt> {
    if (notification.transport !== 'email') throw new DeliveryError({ kind: 'rejected', providerCode: null });
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to: notification.to,
        subject: notification.subject,
        text: notification.body,
        ...(options.effectKey !== undefined ? { messageId: this.messageId(options.effectKey) } : {}),
        // RFC 3834: a machine wrote it; auto-responders and out-of-office replies stay quiet.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { via: 'smtp', providerMessageId: info.messageId };
    } catch (error) {
      throw smtpDeliveryError(error);
    }
  }

  close(): void {
    this.transporter.close();
  }

  /** A hash, not the key itself: the conversation id stays out of the recipient's headers. */
  private messageId(effectKey: string): string {
    return `<${createHash('sha256').update(effectKey).digest('hex').slice(0, 32)}@${this.domain}>`;
  }
}

function createSmtpTransport(url: string, timeoutMs: number) {
  return createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 2 });
}
