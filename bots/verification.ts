import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CounterStore } from '../core/stores.js';
import type { Notifier } from '../core/notifier.js';
import type { CustomerRow } from '../db/schema.js';

/** A pending one-time-code challenge, kept in a conversation slot (only a keyed hash of the code). */
export interface Challenge {
  /** The customer the code was sent to; null when the claim matched nobody (the reply looks the same). */
  customerId: string | null;
  codeHash: string;
  expiresAt: number;
}

export type CheckResult = 'verified' | 'wrong' | 'expired' | 'locked';

const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/**
 * One-time codes sent to the email or phone on file. Deterministic code, never a model:
 * identity is proven by possession of the code, and failures are throttled per conversation
 * and per contact so that rotating conversations doesn't reset the budget.
 */
export class CustomerVerifier {
  constructor(
    private readonly deps: {
      secret: string;
      counters: CounterStore;
      notifier: Notifier;
      ttlSeconds: number;
      maxAttempts: number;
      shopName: string;
    },
  ) {}

  private hash(conversationId: string, code: string): string {
    return createHmac('sha256', this.deps.secret).update(`${conversationId}:${code}`).digest('hex');
  }

  private failureKeys(conversationId: string, contactId: string): string[] {
    return [`verify-fail:conv:${conversationId}`, `verify-fail:contact:${contactId}`];
  }

  async isLocked(conversationId: string, contactId: string): Promise<boolean> {
    const counts = await Promise.all(this.failureKeys(conversationId, contactId).map((k) => this.deps.counters.peek(k)));
    return counts.some((c) => c >= this.deps.maxAttempts);
  }

  /** Counts a failed identity attempt (wrong code, or a claim that matched nobody). */
  async recordFailure(conversationId: string, contactId: string): Promise<number> {
    const counts = await Promise.all(this.failureKeys(conversationId, contactId).map((k) => this.deps.counters.hit(k, FAILURE_WINDOW_MS)));
    return Math.max(...counts);
  }

  /** Sends a code to the customer's address on file (if any) and returns the challenge to remember. */
  async challenge(conversationId: string, customer: CustomerRow | null, via: 'email' | 'sms', now: Date): Promise<Challenge> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (customer !== null) {
      const to = via === 'sms' && customer.phone ? customer.phone : customer.email;
      const transport = via === 'sms' && customer.phone ? 'sms' : 'email';
      await this.deps.notifier.send({
        transport,
        to,
        subject: `Your ${this.deps.shopName} verification code`,
        body: `Your ${this.deps.shopName} verification code is ${code}. It expires in ${Math.round(this.deps.ttlSeconds / 60)} minutes. If you didn't ask for it, ignore this message.`,
        devLogLine: `verification code ${code}`,
      });
    }
    return { customerId: customer?.id ?? null, codeHash: this.hash(conversationId, code), expiresAt: now.getTime() + this.deps.ttlSeconds * 1000 };
  }

  async check(conversationId: string, contactId: string, challenge: Challenge, code: string, now: Date): Promise<CheckResult> {
    if (await this.isLocked(conversationId, contactId)) return 'locked';
    if (now.getTime() > challenge.expiresAt) return 'expired';
    const expected = Buffer.from(challenge.codeHash, 'hex');
    const given = Buffer.from(this.hash(conversationId, code), 'hex');
    if (challenge.customerId !== null && expected.length === given.length && timingSafeEqual(expected, given)) return 'verified';
    const failures = await this.recordFailure(conversationId, contactId);
    return failures >= this.deps.maxAttempts ? 'locked' : 'wrong';
  }

  attemptsLeft(failures: number): number {
    return Math.max(0, this.deps.maxAttempts - failures);
  }
}
