/**
 * Everything the customer reads while proving who they are (bots/identity-gate.ts,
 * bots/verification.ts). Each reply is the same whether or not the claimed order or account
 * exists: keep it that way when editing or translating.
 */
export interface VerificationCopy {
  /** `purpose` comes from the guarded flow's catalogue ("look into the charges on your order"). */
  askForClaim(purpose: string): string;
  notAnOrderNumber: string;
  codeSent(orderNumber: string | null, via: 'email' | 'sms'): string;
  /** The number they write from is on file (phone-matched): reading needed no code, a change does. */
  codeSentToMatched(via: 'email' | 'sms'): string;
  newCodeSent: string;
  typeTheCode: string;
  wrongCode: string;
  expiredCode: string;
  verified: string;
  /** In the chat when verification is paused: how long, and a person in the meantime. */
  paused(retryAfterSeconds: number): string;
  /** The message of the 429 a refused code gets on HTTP channels (the widget shows it). */
  pausedNotice(retryAfterSeconds: number): string;
  /** The label of the button offered with `paused`; its value stays `intent:human_agent`. */
  talkToPerson: string;
  /** The email or text carrying the code; `shopName` is SHOP_NAME. */
  codeMessage(shopName: string, code: string, ttlSeconds: number): { subject: string; body: string };
}

export const VERIFICATION_COPY_EN: VerificationCopy = {
  askForClaim: (purpose) =>
    `I can ${purpose} for you. What's the order number? It's in your confirmation email, e.g. 100234. If you don't have it, give me the email address or phone number on your account.`,
  notAnOrderNumber: `That doesn't look like one of our order numbers. They look like this: 100234 (you'll find yours in the confirmation email). Could you check it?`,
  codeSent: (orderNumber, via) =>
    `To protect your privacy I need to confirm it's you. If ${orderNumber !== null ? `order ${orderNumber}` : 'that account'} is in our system, ` +
    `I've just sent a 6-digit code to the ${via === 'sms' ? 'phone number' : 'email address'} on file. Please type the code here.`,
  codeSentToMatched: (via) =>
    `I recognised your number, but before I change anything I need to confirm it's you. I've just sent a 6-digit code to the ${via === 'sms' ? 'phone number' : 'email address'} on your account. Please type the code here.`,
  newCodeSent: `I've sent a new code. Please type it here.`,
  typeTheCode: `Please type the 6-digit code from the message we sent. If it didn't arrive, say "resend".`,
  wrongCode: `That code doesn't match. Please check it and try again, or say "resend" for a new one.`,
  expiredCode: `That code has expired. Say "resend" and I'll send a new one.`,
  verified: 'Thanks, you are verified.',
  paused: (retryAfterSeconds) =>
    `For your security, verification is paused for ${minutes(retryAfterSeconds)} after too many attempts. A member of our team can help you in the meantime.`,
  pausedNotice: (retryAfterSeconds) =>
    `Verification is paused for ${minutes(retryAfterSeconds)} after too many attempts. You can ask for a person in the chat.`,
  talkToPerson: 'Talk to a person',
  codeMessage: (shopName, code, ttlSeconds) => ({
    subject: `Your ${shopName} verification code`,
    body: `Your ${shopName} verification code is ${code}. It expires in ${Math.round(ttlSeconds / 60)} minutes. If you didn't ask for it, ignore this message.`,
  }),
};

/** "15 minutes", "1 minute": rounded up, so the pause never ends later than it says. */
function minutes(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return n === 1 ? '1 minute' : `${n} minutes`;
}
