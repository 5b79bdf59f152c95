import { SmtpNotifier } from '../channels/email/index.js';
import { NotificationRouter } from '../channels/notifications/index.js';
import type { DevOutbox } from '../channels/outbox/dev-outbox.js';
import { createTwilioRestClient, TwilioSmsNotifier } from '../channels/twilio/index.js';
import { notificationTransports, type Config } from '../core/config.js';
import type { Logger } from './logger.js';

export interface NotificationWiring {
  notifier: NotificationRouter;
  close(): void;
}

/**
 * The notifier every email and SMS goes through: SMTP and Twilio where configured, the
 * development outbox for the rest outside production. In production nothing stands in for a
 * missing transport: its notifications fail on their outbound row (`no_transport`).
 */
export function createNotifications(config: Config, outbox: DevOutbox, log: Logger, options: { twilioApiOrigin?: string } = {}): NotificationWiring {
  const transports = notificationTransports(config);
  const smtp = transports.email !== null ? new SmtpNotifier(transports.email) : null;
  const sms =
    transports.sms !== null
      ? new TwilioSmsNotifier(
          createTwilioRestClient({
            accountSid: transports.sms.accountSid,
            authToken: transports.sms.authToken,
            ...(options.twilioApiOrigin !== undefined ? { apiOrigin: options.twilioApiOrigin } : {}),
          }),
          transports.sms.sender,
        )
      : null;
  const production = config.NODE_ENV === 'production';
  const notifier = new NotificationRouter({ email: smtp, sms, fallback: production ? null : outbox });
  for (const [transport, configured, how] of [
    ['email', smtp !== null, 'SMTP_URL and MAIL_FROM'],
    ['SMS', sms !== null, 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM'],
  ] as const) {
    if (configured) continue;
    if (production) log.warn(`no ${transport} transport is configured (${how}): ${transport} notifications fail with no_transport on their outbound row`);
    else if (!config.DEV_OUTBOX) log.warn(`DEV_OUTBOX is off and no ${transport} transport is configured (${how}): ${transport} notifications are kept in the outbox table, which is not served`);
  }
  return { notifier, close: () => smtp?.close() };
}
