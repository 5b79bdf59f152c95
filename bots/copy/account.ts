import type { ChoiceOption } from '../../core/message.js';

/**
 * The account flow's words to the customer (bots/flows/account.ts): password reset, its email,
 * and the advice for locked accounts, lost two-step verification and a hijacked account.
 * `shopName` is SHOP_NAME. The reset replies are the same whether or not an account exists:
 * keep it that way when editing or translating. Button values are payloads: a locale keeps them.
 */
export interface AccountCopy {
  // Password reset
  askEmail(shopName: string): string;
  notAnEmail(shopName: string): string;
  tooManyResets: string;
  /** The demo shop's own reset page: its links work once and last 60 minutes. */
  resetSent: string;
  /** PASSWORD_RESET_URL: the shop's page decides how long its links last, so no promise. */
  resetSentExternal: string;
  anythingElse: string;
  thatsAll: ChoiceOption;
  resetEmailSubject(shopName: string): string;
  /** `link` is the demo shop's reset page with its one-time token. */
  resetEmailBody(shopName: string, link: string): string;
  /** `url` is PASSWORD_RESET_URL. */
  resetEmailBodyExternal(shopName: string, url: string): string;

  // Account access
  compromisedAdvice(shopName: string): string;
  twoStepAdvice: string;
  lockedAdvice: string;
  whatNext: string;
  sendResetLink: ChoiceOption;
}

const CHECK_SPAM = `If nothing arrives within 5 minutes, check your spam folder and make sure it's the address you shop with.`;
const asked = (shopName: string) => `Someone (hopefully you) asked to reset the password of your ${shopName} account. `;
const IGNORE = `If you didn't ask, ignore this email: your password stays the same.`;

export const ACCOUNT_COPY_EN: AccountCopy = {
  askEmail: (shopName) =>
    `I can send you a link to choose a new password. What's the email address of your ${shopName} account? (I'll never ask for your password.)`,
  notAnEmail: (shopName) => `That doesn't look like an email address. Please type the one you use for your ${shopName} account, e.g. name@example.com.`,
  tooManyResets: `You've asked for several reset links in the last hour. Please use the latest email, or try again in an hour.`,
  resetSent: `If an account exists for that address, we've sent a reset link to it. The link works once and expires in 60 minutes. ${CHECK_SPAM}`,
  resetSentExternal: `If an account exists for that address, we've sent it a link to choose a new password. ${CHECK_SPAM}`,
  anythingElse: 'Anything else?',
  thatsAll: { label: "That's all, thanks", value: 'intent:thanks' },
  resetEmailSubject: (shopName) => `Reset your ${shopName} password`,
  resetEmailBody: (shopName, link) =>
    `${asked(shopName)}Choose a new password here: ${link} The link works once and expires in 60 minutes. ${IGNORE}`,
  resetEmailBodyExternal: (shopName, url) => `${asked(shopName)}Choose a new password on our website: ${url} ${IGNORE}`,

  compromisedAdvice: (shopName) =>
    `Please reset your password right away, then go to Account › Security › Sign out everywhere, check your addresses and payment methods for changes, ` +
    `and review shared users in the ${shopName} Home app (Home › Members). A member of our team can check your recent orders with you.`,
  twoStepAdvice:
    `Authenticator codes change every 30 seconds, so make sure your phone's time is set automatically; text codes can take a minute and only the latest one works. ` +
    `Lost your phone? Sign in with one of your 10 backup codes, then set up two-step verification again. ` +
    `If you've lost both your phone and your backup codes, our team verifies you with your order history and a photo ID before removing two-step verification (up to 2 business days).`,
  lockedAdvice:
    `After 5 wrong passwords or codes an account is locked for 15 minutes to stop password guessing: wait, then try again, or reset your password. ` +
    `If your email address changed, sign in with the old one or ask our team to move your account. We never unlock accounts without verifying you.`,
  whatNext: 'What would you like to do?',
  sendResetLink: { label: 'Send me a reset link', value: 'intent:password_reset' },
};
