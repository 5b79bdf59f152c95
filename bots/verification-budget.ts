import { createHmac } from 'node:crypto';
import type { ThrottleHit, ThrottleRepository } from '../db/throttles.js';

const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const SENDS_WINDOW_MS = 60 * 60 * 1000;

/** Who is trying to verify: the conversation, the channel contact and, on HTTP channels, the client IP. */
export interface VerificationSubject {
  conversationId: string;
  contactId: string;
  /** Null on channels that don't see the customer's address (a webhook's IP is the provider's). */
  clientIp: string | null;
}

/** What the customer claimed to be: any of an order number, an email or a phone (already normalized). */
export interface IdentityClaim {
  orderNumber: string | null;
  email: string | null;
  phone: string | null;
}

export interface VerificationLimits {
  /** Wrong codes per conversation, contact and target (OTP_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Claims, resends and wrong codes per client IP (OTP_MAX_ATTEMPTS_PER_IP). */
  maxAttemptsPerIp: number;
  /** Codes sent per customer per hour (OTP_SENDS_PER_HOUR). */
  sendsPerHour: number;
}

export type PauseState = { paused: false } | { paused: true; retryAfterSeconds: number };

/** The budgets that apply to one attempt. `customerLocked` is never shown to the customer. */
export interface Standing {
  pause: PauseState;
  customerLocked: boolean;
}

interface Counter {
  key: string;
  limit: number;
}

/**
 * The attempt budgets of verification, kept in durable counters shared by every instance.
 * Wrong codes count per conversation, contact, client IP, every claimed target (order number,
 * email, phone) and the customer the claim resolved to; claims and resends count per IP.
 *
 * Only counters that exist alike for known and unknown claims decide what the customer sees
 * (the pause and its 429). The claimed customer's own counter also stops codes from working
 * and from being sent, but silently: showing it would tell which orders share an owner.
 */
export class VerificationBudget {
  constructor(private readonly deps: { counters: ThrottleRepository; secret: string; limits: VerificationLimits }) {}

  /** Counter keys for the claimed targets, kept in the challenge so each guess counts against them. */
  claimKeys(claim: IdentityClaim): string[] {
    const keys: string[] = [];
    if (claim.orderNumber !== null) keys.push(this.key('fail', 'order', claim.orderNumber));
    if (claim.email !== null) keys.push(this.key('fail', 'email', claim.email.trim().toLowerCase()));
    if (claim.phone !== null) keys.push(this.key('fail', 'phone', claim.phone.replace(/[^\d+]/g, '')));
    return keys;
  }

  async standing(subject: VerificationSubject, claimKeys: readonly string[], customerId: string | null, now: Date): Promise<Standing> {
    const visible = this.visibleCounters(subject, claimKeys);
    const hidden = this.customerCounter(customerId);
    // One query whether or not the claim matched anyone: response time must not tell either.
    const counts = await this.deps.counters.peek([...visible, ...hidden].map((c) => c.key), now);
    return { pause: pauseOf(visible, counts, now), customerLocked: pauseOf(hidden, counts, now).paused };
  }

  /**
   * Spends a claim or resend from the IP budget and one send from the hourly budget of the
   * customer (or of the conversation when the claim matched nobody, so the work is the same).
   * True when a code may be sent.
   */
  async spendSend(subject: VerificationSubject, customerId: string | null, now: Date): Promise<boolean> {
    const sendsKey = customerId !== null ? this.key('sends', 'customer', customerId) : `verify-sends:conv:${subject.conversationId}`;
    const hits: ThrottleHit[] = [{ key: sendsKey, windowMs: SENDS_WINDOW_MS }];
    if (subject.clientIp !== null) hits.push({ key: this.ipKey(subject.clientIp), windowMs: FAILURE_WINDOW_MS });
    const counts = await this.deps.counters.hit(hits, now);
    const sends = counts.find((c) => c.key === sendsKey)?.count ?? 0;
    return customerId !== null && sends <= this.deps.limits.sendsPerHour;
  }

  /** Counts a wrong code against every budget; returns whether verification is now paused. */
  async spendWrongCode(subject: VerificationSubject, claimKeys: readonly string[], customerId: string | null, now: Date): Promise<PauseState> {
    const visible = this.visibleCounters(subject, claimKeys);
    const counters = [...visible, ...this.customerCounter(customerId)];
    const counts = await this.deps.counters.hit(
      counters.map((c) => ({ key: c.key, windowMs: FAILURE_WINDOW_MS })),
      now,
    );
    return pauseOf(visible, counts, now);
  }

  private visibleCounters(subject: VerificationSubject, claimKeys: readonly string[]): Counter[] {
    const { maxAttempts, maxAttemptsPerIp } = this.deps.limits;
    const counters: Counter[] = [
      { key: `verify-fail:conv:${subject.conversationId}`, limit: maxAttempts },
      { key: `verify-fail:contact:${subject.contactId}`, limit: maxAttempts },
      ...claimKeys.map((key) => ({ key, limit: maxAttempts })),
    ];
    if (subject.clientIp !== null) counters.push({ key: this.ipKey(subject.clientIp), limit: maxAttemptsPerIp });
    return counters;
  }

  private customerCounter(customerId: string | null): Counter[] {
    return customerId === null ? [] : [{ key: this.key('fail', 'customer', customerId), limit: this.deps.limits.maxAttempts }];
  }

  private ipKey(ip: string): string {
    // An IPv4 client on a dual-stack socket is reported as ::ffff:a.b.c.d; it is one client.
    return this.key('fail', 'ip', ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  }

  /** Targets and addresses are stored as keyed hashes: the counters hold no email, phone or IP. */
  private key(purpose: 'fail' | 'sends', kind: string, value: string): string {
    const digest = createHmac('sha256', this.deps.secret).update(`throttle:${kind}:${value}`).digest('base64url');
    return `verify-${purpose}:${kind}:${digest}`;
  }
}

/** Paused while any counter is at its limit, until the last of those windows ends. */
function pauseOf(counters: readonly Counter[], counts: ReadonlyArray<{ key: string; count: number; resetsAt: Date }>, now: Date): PauseState {
  let until = 0;
  for (const counter of counters) {
    const count = counts.find((c) => c.key === counter.key);
    if (count !== undefined && count.count >= counter.limit) until = Math.max(until, count.resetsAt.getTime());
  }
  return until === 0 ? { paused: false } : { paused: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}
