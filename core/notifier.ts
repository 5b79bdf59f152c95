import { z } from 'zod';

/** A message to a customer outside the conversation: a verification code, a confirmation, a reset link. */
export const NotificationSchema = z.object({
  transport: z.enum(['email', 'sms']),
  /** Email address or E.164 phone number on file (never one the customer typed). */
  to: z.string().min(1).max(320),
  subject: z.string().max(500),
  body: z.string().max(20_000),
  /**
   * What the development outbox may also print in the log (e.g. a verification code, so a
   * developer can finish a conversation from the console). Omit for anything that grants access
   * on its own, such as a password-reset link: then only the subject is logged.
   */
  devLogLine: z.string().max(500).optional(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export interface NotifyOptions {
  /**
   * The conversation effect this send runs (conversation:seq:idx). The same on every retry, so
   * a transport that can de-duplicate (the development outbox does) keeps one copy.
   */
  effectKey?: string;
}

/** Which transport carried a notification: a real one, or the development outbox. */
export const NotificationCarrierSchema = z.enum(['smtp', 'twilio', 'dev-outbox']);
export type NotificationCarrier = z.infer<typeof NotificationCarrierSchema>;

export type NotificationTransport = Notification['transport'];

/**
 * Where a notification's outbound row stands: `queued` until a transport took it, then `sent`
 * with the provider's id, or `failed` for good (the reason in `last_error`).
 */
export const NotificationStatusSchema = z.enum(['queued', 'sent', 'failed']);
export type NotificationStatus = z.infer<typeof NotificationStatusSchema>;

/** Why a notification is not (yet) sent. Codes only: a provider's text may quote the address. */
export const NotificationErrorReasonSchema = z.enum([
  /** Not sent; tried again (a refused connection, SMTP 4xx, Twilio 5xx). */
  'unavailable',
  /** Twilio 429; tried again. */
  'rate_limited',
  /** Refused for good (SMTP 5xx, Twilio 21211 invalid number, 21610 opted out): not retried. */
  'rejected',
  /** The request went out and no answer came: it may have arrived, so it is not sent again. */
  'unknown_outcome',
  'retries_exhausted',
  'invalid_payload',
  /** Nothing is configured to carry this transport (an SMS with only SMTP set up). */
  'no_transport',
]);
export type NotificationErrorReason = z.infer<typeof NotificationErrorReasonSchema>;

/**
 * The recipient as an outbound row shows it: `a***@example.com`, `+1******0100`. Enough to tell
 * two customers apart in a list, not to write to them.
 */
export function maskRecipient(transport: NotificationTransport, to: string): string {
  if (transport === 'email') {
    const at = to.lastIndexOf('@');
    if (at <= 0) return '***';
    return `${to.slice(0, 1)}***${to.slice(at)}`;
  }
  const digits = to.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '***';
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 6)}${digits.slice(-4)}`;
}

/** What a notifier answers when the notification left (or was kept by the development outbox). */
export interface NotificationReceipt {
  via: NotificationCarrier;
  /** The provider's id (SMTP Message-ID, Twilio Message SID, outbox entry); null when it gave none. */
  providerMessageId: string | null;
}

/**
 * Sends one notification. A failure is thrown as a `DeliveryError` (core/channel.ts) saying
 * whether it may be retried: `rejected` (a bad address, an opted-out number, a 5xx SMTP reply)
 * is final, `unknown_outcome` (the request went out, no answer came) is not repeated blindly,
 * everything else (a refused connection, 4xx SMTP, Twilio 5xx/429) is tried again.
 */
export interface Notifier {
  send(notification: Notification, options?: NotifyOptions): Promise<NotificationReceipt>;
}

/** A notification the development outbox kept instead of sending (its table: db/outbox-messages.ts). */
export const OutboxEntrySchema = z.object({
  id: z.number().int(),
  transport: z.string(),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  /** Sent as an ISO date-time string. */
  createdAt: z.date(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** Thrown by a notifier that has nothing configured for a notification's transport: final, not retried. */
export class NoTransportError extends Error {
  constructor(readonly transport: NotificationTransport) {
    super(`no ${transport} transport is configured`);
    this.name = 'NoTransportError';
  }
}
