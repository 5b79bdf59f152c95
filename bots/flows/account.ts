import { createHash } from 'node:crypto';
import type { CounterStore } from '../../core/stores.js';
import type { CustomerClaims } from '../../db/customer-claims.js';
import { ACCOUNT_COPY_EN as COPY } from '../copy/account.js';
import { firstEntity, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { flowState } from '../flow-state.js';
import type { ConversationState } from '../state.js';
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

/**
 * Account access. A typed email is only a claim, so the reply is the same whether or not an
 * account exists, and the link goes only to the address on file. Lock-outs and lost 2FA get
 * guidance and a person: the bot never unlocks an account or removes two-step verification.
 */
export class AccountFlow implements Flow {
  readonly name = 'account';
  /** Each message is answered on its own (a reset link goes to the address on file); nothing is kept. */
  readonly state = flowState({});

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

  /** Only a password reset waits for an answer (the email); being locked out is answered at once. */
  restartIntent(state: ConversationState): string | null {
    return state.step === AWAITING_EMAIL ? 'password_reset' : null;
  }

  private async reset(ctx: FlowContext, reply: Reply, answering: boolean): Promise<void> {
    const email = firstEntity(ctx, 'email');
    if (email === null) {
      reply
        .say(answering ? COPY.notAnEmail(this.deps.shopName) : COPY.askEmail(this.deps.shopName))
        .expect('email')
        .step(AWAITING_EMAIL);
      return;
    }
    const contactHits = await this.deps.counters.hit(`pwreset:contact:${ctx.contactId}`, HOUR_MS);
    if (contactHits > PER_CONTACT) {
      reply
        .choose(COPY.tooManyResets, [TALK_TO_PERSON])
        .expect(null)
        .end('failed');
      return;
    }
    await this.sendLink(reply, email);
    reply
      .say(this.deps.passwordResetUrl === null ? COPY.resetSent : COPY.resetSentExternal)
      .choose(COPY.anythingElse, [TALK_TO_PERSON, COPY.thatsAll])
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
    const { shopName, passwordResetUrl } = this.deps;
    const subject = COPY.resetEmailSubject(shopName);
    if (passwordResetUrl !== null) {
      reply.notify({ transport: 'email', to: customer.email, subject, body: COPY.resetEmailBodyExternal(shopName, passwordResetUrl) });
      return;
    }
    const token = await this.deps.resetTokens.issue(customer.id);
    const link = `${this.deps.publicUrl()}/account/reset?token=${token}`;
    reply.notify({ transport: 'email', to: customer.email, subject, body: COPY.resetEmailBody(shopName, link) });
  }

  private access(ctx: FlowContext, reply: Reply): void {
    const text = ctx.message.text;
    let advice: string;
    if (/hack|someone else|not me|compromis|stolen account/i.test(text)) advice = COPY.compromisedAdvice(this.deps.shopName);
    else if (/2fa|two.?(factor|step)|verification code|authenticat|lost (my )?phone|phone number/i.test(text)) advice = COPY.twoStepAdvice;
    else advice = COPY.lockedAdvice;
    reply.say(advice);
    const cited = citeArticle(this.deps, 'two-step-verification-and-locked-account', text);
    if (cited !== null) reply.send(cited);
    reply
      .choose(COPY.whatNext, [COPY.sendResetLink, TALK_TO_PERSON])
      .expect(null)
      .end('resolved');
  }
}
