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

export interface Notifier {
  send(notification: Notification, options?: NotifyOptions): Promise<void>;
}

/** A notification the development outbox kept instead of sending (its table: db/outbox-messages.ts). */
export interface OutboxEntry {
  id: number;
  transport: string;
  recipient: string;
  subject: string;
  body: string;
  createdAt: Date;
}
