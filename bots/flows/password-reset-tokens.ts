import { createHash, randomBytes } from 'node:crypto';
import type { SnapshotStore } from '../../core/stores.js';

/** As the help article promises: a link is valid for 60 minutes, works once, and only the latest works. */
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
const USED = 'used';

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Password-reset tokens: 256 random bits, sent only by email; the store keeps only a hash, so a
 * leaked store (Redis dump) holds nothing a reset page would accept. The reset page itself
 * (GET /account/reset?token=…) is not built yet: it calls `redeem` and sets the new password.
 */
export class PasswordResetTokens {
  constructor(
    private readonly store: SnapshotStore,
    private readonly ttlMs = RESET_TOKEN_TTL_MS,
  ) {}

  /** A fresh token for the customer; any earlier one stops working. */
  async issue(customerId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = digest(token);
    await this.store.set(`pwreset:token:${hash}`, customerId, 0, this.ttlMs);
    const latestKey = `pwreset:latest:${customerId}`;
    const latest = await this.store.get(latestKey);
    // If another request raced us, its token is the latest: ours then simply never redeems.
    await this.store.set(latestKey, hash, latest?.version ?? 0, this.ttlMs);
    return token;
  }

  /** The customer the token belongs to, once: null when unknown, expired, used or superseded. */
  async redeem(token: string): Promise<string | null> {
    const hash = digest(token);
    const key = `pwreset:token:${hash}`;
    const entry = await this.store.get(key);
    if (entry === null || entry.value === USED) return null;
    const latest = await this.store.get(`pwreset:latest:${entry.value}`);
    if (latest?.value !== hash) return null;
    // Compare-and-set to "used": of two concurrent redeems, only one wins.
    const marked = await this.store.set(key, USED, entry.version, this.ttlMs);
    return marked === null ? null : entry.value;
  }
}
