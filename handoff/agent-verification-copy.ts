/**
 * What the customer reads when an agent verifies them from the console. Customer-facing words
 * live here, not in the verification code (bots/copy/verification.ts holds the bot's).
 */
export const AGENT_VERIFICATION_COPY = {
  /** Kept in the log in place of the code: agents read the transcript, so it never holds a code. */
  maskedCode: (body: string) => body.replace(/\b\d{6}\b/g, '••••••'),
  codeSentByEmail: `I've sent a 6-digit code to the email address on your account. Please type it here so I can confirm it's you.`,
  codeSentBySms: `I've sent a 6-digit code by text message to the phone number on your account. Please type it here so I can confirm it's you.`,
  verified: `Thanks, you're verified. Let me take care of this for you.`,
} as const;

/** How the agent is told where a code went, without the full address. */
export function maskedAddress(transport: 'email' | 'sms' | 'channel', to: string): string {
  if (transport === 'channel') return 'this conversation';
  if (transport === 'sms') return `the phone number on file ending ${to.slice(-2)}`;
  const [local = '', domain = ''] = to.split('@');
  return `the email on file (${local.slice(0, 1)}…@${domain})`;
}
