import { createHmac } from 'node:crypto';
import { SwitchboardError } from '../../core/errors.js';
import type { ThrottleCount, ThrottleHit } from '../../db/throttles.js';

const WINDOW_MS = 15 * 60 * 1000;

export interface LoginCounters {
  hit(hits: readonly ThrottleHit[], now: Date): Promise<ThrottleCount[]>;
  peek(keys: readonly string[], now: Date): Promise<ThrottleCount[]>;
}

/**
 * Failed sign-ins counted per account and per client address in the database (db/throttles.ts),
 * so a restart does not reset them and every instance shares them. Once either budget is spent,
 * every attempt is refused with 429 and Retry-After until its window ends — the right password
 * too, or guessing would only be slowed, not stopped. The account key is an HMAC of the address,
 * so the table holds no emails.
 */
export class LoginThrottle {
  constructor(
    private readonly deps: { counters: LoginCounters; secret: string; perAccount: number; perIp: number; now?: () => Date },
  ) {}

  /** Throws SB_ERR_RATE_LIMITED when this account or address has no attempts left. */
  async check(email: string, ip: string): Promise<void> {
    const now = this.now();
    const keys = this.keys(email, ip);
    const counts = await this.deps.counters.peek([keys.account, keys.ip], now);
    const spent = counts.filter((c) => c.count >= (c.key === keys.account ? this.deps.perAccount : this.deps.perIp));
    if (spent.length === 0) return;
    const resetsAt = Math.max(...spent.map((c) => c.resetsAt.getTime()));
    throw new SwitchboardError('SB_ERR_RATE_LIMITED', 'Too many failed sign-ins; try again later', [], {
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000)),
    });
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    await this.deps.counters.hit(
      [
        { key: keys.account, windowMs: WINDOW_MS },
        { key: keys.ip, windowMs: WINDOW_MS },
      ],
      this.now(),
    );
  }

  private keys(email: string, ip: string): { account: string; ip: string } {
    const account = createHmac('sha256', this.deps.secret).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
    return { account: `agent-login:account:${account}`, ip: `agent-login:ip:${ip}` };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
