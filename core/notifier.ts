/** A message to a customer outside the conversation: a verification code by email or SMS. */
export interface Notification {
  transport: 'email' | 'sms';
  /** Email address or E.164 phone number on file (never one the customer typed). */
  to: string;
  subject: string;
  body: string;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}
