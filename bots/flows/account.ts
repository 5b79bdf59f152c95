import { createHash } from 'node:crypto';
import type { CounterStore } from '../../core/stores.js';
import type { CustomerClaims } from '../../db/customer-claims.js';
import { firstEntity, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { chosenIntent, TALK_TO_PERSON } from './order-picker.js';
import type { PasswordResetTokens } from './password-reset-tokens.js';

export interface AccountDeps extends ArticleCitationDeps {
  /** Who a typed email belongs to: only ever used to send to the address on file. */
  accounts: Pick<CustomerClaims, 'byEmail'>;
  counters: CounterStore;
  resetTokens: PasswordResetTokens;
  shopName: string;
  /**
   * The shop's own reset page (PASSWORD_RESET_URL): the email links there and no token is issued,
   * since that page runs its own reset. Null: the demo shop's page at /account/reset with a token.
   */
  passwordResetUrl: string | null;
}

const AWAITING_EMAIL = 'awaiting_email';
const HOUR_MS = 60 * 60 * 1000;
/** Reset requests per chat contact per hour: beyond this the contact is told to wait. */
const PER_CONTACT = 5;
/** Reset emails per address per hour: beyond this nothing is sent, and the reply doesn't change. */
const PER_ADDRESS = 3;
const RESET_SENT =
  `If an account exists for that address, we've sent a reset link to it. The link works once and expires in 60 minutes. ` +
  `If nothing arrives within 5 minutes, check your spam folder and make sure it's the address you shop with.`;
/** With PASSWORD_RESET_URL the shop's own page decides how long its links last: no promise here. */
const RESET_SENT_EXTERNAL =
  `If an account exists for that address, we've sent it a link to choose a new password. ` +
  `If nothing arrives within 5 minutes, check your spam folder and make sure it's the address you shop with.`;

/**
 * Account access. A typed email is only a claim, so the reply is the same whether or not an
 * account exists, and the link goes only to the address on file. Lock-outs and lost 2FA get
 * guidance and a person: the bot never unlocks an account or removes two-step verification.
 */
export class AccountFlow implements Flow {
  readonly name = 'account';

  constructor(private readonly deps: AccountDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start();
    const wantsReset = chosenIntent(ctx) === 'password_reset';
    if (!starting && ctx.state.step === AWAITING_EMAIL) await this.reset(ctx, reply, true);
    else if (wantsReset) await this.reset(ctx, reply, false);
    else this.access(ctx, reply);
    return reply.decision();
  }

  private async reset(ctx: FlowContext, reply: Reply, answering: boolean): Promise<void> {
    const email = firstEntity(ctx, 'email');
    if (email === null) {
      reply
        .say(
          answering
            ? `That doesn't look like an email address. Please type the one you use for your ${this.deps.shopName} account, e.g. name@example.com.`
            : `I can send you a link to choose a new password. What's the email address of your ${this.deps.shopName} account? (I'll never ask for your password.)`,
        )
        .expect('email')
        .step(AWAITING_EMAIL);
      return;
    }
    const contactHits = await this.deps.counters.hit(`pwreset:contact:${ctx.contactId}`, HOUR_MS);
    if (contactHits > PER_CONTACT) {
      reply
        .choose(`You've asked for several reset links in the last hour. Please use the latest email, or try again in an hour.`, [TALK_TO_PERSON])
        .expect(null)
        .end('failed');
      return;
    }
    await this.sendLink(reply, email);
    reply
      .say(this.deps.passwordResetUrl === null ? RESET_SENT : RESET_SENT_EXTERNAL)
      .choose('Anything else?', [TALK_TO_PERSON, { label: "That's all, thanks", value: 'intent:thanks' }])
      .expect(null)
      .end('resolved');
  }

  /** Sends only to an existing customer's address on file; every other case is silent. */
  private async sendLink(reply: Reply, email: string): Promise<void> {
    const customer = await this.deps.accounts.byEmail(email);
    if (customer === null) return;
    // Keyed by a hash: no email addresses in the state backend's keys.
    const addressKey = createHash('sha256').update(customer.email).digest('hex');
    if ((await this.deps.counters.hit(`pwreset:address:${addressKey}`, HOUR_MS)) > PER_ADDRESS) return;
    const asked = `Someone (hopefully you) asked to reset the password of your ${this.deps.shopName} account. `;
    const ignore = `If you didn't ask, ignore this email: your password stays the same.`;
    if (this.deps.passwordResetUrl !== null) {
      reply.notify({
        transport: 'email',
        to: customer.email,
        subject: `Reset your ${this.deps.shopName} password`,
        body: `${asked}Choose a new password on our website: ${this.deps.passwordResetUrl} ${ignore}`,
      });
      return;
    }
    const token = await this.deps.resetTokens.issue(customer.id);
    reply.notify({
      transport: 'email',
      to: customer.email,
      subject: `Reset your ${this.deps.shopName} password`,
      body:
        `${asked}Choose a new password here: ${this.deps.publicUrl()}/account/reset?token=${token} ` +
        `The link works once and expires in 60 minutes. ${ignore}`,
    });
  }

  private access(ctx: FlowContext, reply: Reply): void {
    const text = ctx.message.text;
    let advice: string;
    if (/hack|someone else|not me|compromis|stolen account/i.test(text)) {
      advice =
        `Please reset your password right away, then go to Account › Security › Sign out everywhere, check your addresses and payment methods for changes, ` +
        `and review shared users in the Voltline Home app (Home › Members). A member of our team can check your recent orders with you.`;
    } else if (/2fa|two.?(factor|step)|verification code|authenticat|lost (my )?phone|phone number/i.test(text)) {
      advice =
        `Authenticator codes change every 30 seconds, so make sure your phone's time is set automatically; text codes can take a minute and only the latest one works. ` +
        `Lost your phone? Sign in with one of your 10 backup codes, then set up two-step verification again. ` +
        `If you've lost both your phone and your backup codes, our team verifies you with your order history and a photo ID before removing two-step verification (up to 2 business days).`;
    } else {
      advice =
        `After 5 wrong passwords or codes an account is locked for 15 minutes to stop password guessing: wait, then try again, or reset your password. ` +
        `If your email address changed, sign in with the old one or ask our team to move your account. We never unlock accounts without verifying you.`;
    }
    reply.say(advice);
    const cited = citeArticle(this.deps, 'two-step-verification-and-locked-account', text);
    if (cited !== null) reply.send(cited);
    reply
      .choose('What would you like to do?', [{ label: 'Send me a reset link', value: 'intent:password_reset' }, TALK_TO_PERSON])
      .expect(null)
      .end('resolved');
  }
}
