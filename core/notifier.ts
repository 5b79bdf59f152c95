/** A message to a customer outside the conversation: a verification code by email or SMS. */
export interface Notification {
  transport: 'email' | 'sms';
  /** Email address or E.164 phone number on file (never one the customer typed). */
  to: string;
  subject: string;
  body: string;
  /**
   * What the development outbox may also print in the log (e.g. a verification code, so a
   * developer can finish a conversation from the console). Omit for anything that grants access
   * on its own, such as a password-reset link: then only the subject is logged.
   */
  devLogLine?: string;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
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
