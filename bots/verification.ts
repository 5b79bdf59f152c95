import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Notification } from '../core/notifier.js';
import type { CustomerRow } from '../db/schema.js';
import type { IdentityClaim, PauseState, VerificationBudget, VerificationSubject } from './verification-budget.js';
import { VERIFICATION_COPY_EN as COPY } from './copy/verification.js';

/** A pending one-time-code challenge, kept in a conversation slot (only a keyed hash of the code). */
export const ChallengeSchema = z.object({
  /** The customer the code was sent to; null when the claim matched nobody (the reply looks the same). */
  customerId: z.string().nullable(),
  codeHash: z.string(),
  expiresAt: z.number(),
  /** How a resend reaches the customer. */
  via: z.enum(['email', 'sms']).default('email'),
  /** Counter keys of what was claimed (hashed): every wrong code counts against them. */
  claimKeys: z.array(z.string()).max(3).default([]),
});
export type Challenge = z.infer<typeof ChallengeSchema>;

export type ChallengeResult =
  /**
   * A challenge to remember, and the code to send: only if the claim matched and the budgets
   * allow. The turn records it with its events and a worker sends it after the commit; the reply
   * is the same either way.
   */
  | { kind: 'issued'; challenge: Challenge; notification: Notification | null }
  | { kind: 'paused'; retryAfterSeconds: number };

export type CheckResult =
  | { kind: 'verified'; customerId: string }
  | { kind: 'wrong' }
  | { kind: 'expired' }
  /** This wrong code used the last attempt: verification is paused from now on. */
  | { kind: 'paused_now'; retryAfterSeconds: number }
  /** Verification was already paused: the code was not even compared. */
  | { kind: 'refused'; retryAfterSeconds: number };

/**
 * One-time codes sent to the email or phone on file. Deterministic code, never a model:
 * identity is proven by possession of the code; every attempt is paid for from durable budgets
 * (VerificationBudget), and a claim that matched nobody goes through the same steps as one
 * that did, so neither the replies, the counts nor the timing tell them apart.
 */
export class CustomerVerifier {
  constructor(
    private readonly deps: {
      secret: string;
      budget: VerificationBudget;
      ttlSeconds: number;
      shopName: string;
      /**
       * Whether a code can reach a phone (Twilio configured, or the development outbox). When it
       * cannot, a customer who identified by phone gets the code at the email on file, and is
       * told so, rather than being told of an SMS that never comes.
       */
      smsDelivers?: boolean;
    },
  ) {}

  /** Counter keys of a claim, to keep in the challenge (see VerificationBudget.claimKeys). */
  claimKeys(claim: IdentityClaim): string[] {
    return this.deps.budget.claimKeys(claim);
  }

  private hash(conversationId: string, code: string): string {
    return createHmac('sha256', this.deps.secret).update(`${conversationId}:${code}`).digest('hex');
  }

  /** Starts (or restarts, for a resend) a challenge for what the customer claimed. */
  async challenge(
    subject: VerificationSubject,
    claimed: { customer: CustomerRow | null; claimKeys: readonly string[]; via: 'email' | 'sms' },
    now: Date,
  ): Promise<ChallengeResult> {
    const { budget } = this.deps;
    const { customer, claimKeys } = claimed;
    // Decided before the customer is known, so a claim that matched nobody reads the same.
    const via = claimed.via === 'sms' && this.deps.smsDelivers !== false ? 'sms' : 'email';
    const standing = await budget.standing(subject, claimKeys, customer?.id ?? null, now);
    if (standing.pause.paused) return { kind: 'paused', retryAfterSeconds: standing.pause.retryAfterSeconds };
    const maySend = await budget.spendSend(subject, customer?.id ?? null, now);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // Over the hourly cap, or the customer's own budget is spent: nothing goes out, and the
    // reply says the same as always.
    let notification: Notification | null = null;
    if (customer !== null && maySend && !standing.customerLocked) {
      const transport = via === 'sms' && customer.phone ? 'sms' : 'email';
      notification = {
        transport,
        to: transport === 'sms' && customer.phone ? customer.phone : customer.email,
        ...COPY.codeMessage(this.deps.shopName, code, this.deps.ttlSeconds),
        devLogLine: `verification code ${code}`,
      };
    }
    return {
      kind: 'issued',
      challenge: {
        customerId: customer?.id ?? null,
        codeHash: this.hash(subject.conversationId, code),
        expiresAt: now.getTime() + this.deps.ttlSeconds * 1000,
        via,
        claimKeys: [...claimKeys],
      },
      notification,
    };
  }

  /** Whether verification is paused for this challenge's subject and claim (what the customer may be told). */
  async pause(subject: VerificationSubject, challenge: Challenge, now: Date): Promise<PauseState> {
    return (await this.deps.budget.standing(subject, challenge.claimKeys, challenge.customerId, now)).pause;
  }

  async check(subject: VerificationSubject, challenge: Challenge, code: string, now: Date): Promise<CheckResult> {
    const { budget } = this.deps;
    const standing = await budget.standing(subject, challenge.claimKeys, challenge.customerId, now);
    if (standing.pause.paused) return { kind: 'refused', retryAfterSeconds: standing.pause.retryAfterSeconds };
    if (now.getTime() > challenge.expiresAt) return { kind: 'expired' };
    const expected = Buffer.from(challenge.codeHash, 'hex');
    const given = Buffer.from(this.hash(subject.conversationId, code), 'hex');
    const matches = expected.length === given.length && timingSafeEqual(expected, given);
    if (challenge.customerId !== null && matches && !standing.customerLocked) return { kind: 'verified', customerId: challenge.customerId };
    const pause = await budget.spendWrongCode(subject, challenge.claimKeys, challenge.customerId, now);
    return pause.paused ? { kind: 'paused_now', retryAfterSeconds: pause.retryAfterSeconds } : { kind: 'wrong' };
  }
}
