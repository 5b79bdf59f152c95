import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SnapshotStore } from '../../core/stores.js';

/** As the help article promises: a link is valid for 60 minutes, works once, and only the latest works. */
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
/**
 * How long a spent or expired token is remembered after its 60 minutes, so the page can say
 * "this link was already used" or "expired" instead of "not a valid link".
 */
const REMEMBER_MS = 24 * 60 * 60 * 1000;
/** 32 random bytes, base64url: what `issue` hands out. Anything else is refused without a look-up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const EntrySchema = z.object({ customerId: z.string().min(1), expiresAt: z.number(), used: z.boolean() });
type Entry = z.infer<typeof EntrySchema>;

/** What a link is worth right now. `invalid` covers made-up tokens and ones forgotten long ago. */
export type ResetTokenCheck =
  | { status: 'valid'; customerId: string }
  | { status: 'used' | 'expired' | 'superseded' | 'invalid' };
export type ResetTokenRefusal = Exclude<ResetTokenCheck['status'], 'valid'>;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function parseEntry(value: string): Entry | null {
  try {
    const parsed = EntrySchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Password-reset tokens: 256 random bits, sent only by email; the store keeps only a hash, so a
 * leaked store (Redis dump) holds nothing a reset page would accept. The reset page
 * (server/account-reset.ts) calls `check` to show its form and `redeem` to spend the token.
 */
export class PasswordResetTokens {
  constructor(
    private readonly store: SnapshotStore,
    private readonly ttlMs = RESET_TOKEN_TTL_MS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A fresh token for the customer; any earlier one stops working. */
  async issue(customerId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = digest(token);
    const entry: Entry = { customerId, expiresAt: this.now().getTime() + this.ttlMs, used: false };
    await this.store.set(`pwreset:token:${hash}`, JSON.stringify(entry), 0, this.ttlMs + REMEMBER_MS);
    const latestKey = `pwreset:latest:${customerId}`;
    const latest = await this.store.get(latestKey);
    // If another request raced us, its token is the latest: ours then simply never redeems.
    await this.store.set(latestKey, hash, latest?.version ?? 0, this.ttlMs + REMEMBER_MS);
    return token;
  }

  /** Whether the token would redeem now, and if not why; spends nothing. */
  async check(token: string): Promise<ResetTokenCheck> {
    return (await this.lookUp(token)).check;
  }

  /** The customer the token belongs to, once: null when unknown, expired, used or superseded. */
  async redeem(token: string): Promise<string | null> {
    const found = await this.lookUp(token);
    if (found.check.status !== 'valid' || found.entry === null) return null;
    const spent: Entry = { ...found.entry, used: true };
    // Compare-and-set to "used": of two concurrent redeems, only one wins.
    const marked = await this.store.set(found.key, JSON.stringify(spent), found.version, this.ttlMs + REMEMBER_MS);
    return marked === null ? null : found.entry.customerId;
  }

  private async lookUp(token: string): Promise<{ check: ResetTokenCheck; key: string; version: number; entry: Entry | null }> {
    const none = { key: '', version: 0, entry: null };
    if (!TOKEN_SHAPE.test(token)) return { ...none, check: { status: 'invalid' } };
    const hash = digest(token);
    const key = `pwreset:token:${hash}`;
    const stored = await this.store.get(key);
    const entry = stored === null ? null : parseEntry(stored.value);
    if (stored === null || entry === null) return { ...none, check: { status: 'invalid' } };
    const found = { key, version: stored.version, entry };
    if (entry.used) return { ...found, check: { status: 'used' } };
    if (this.now().getTime() >= entry.expiresAt) return { ...found, check: { status: 'expired' } };
    const latest = await this.store.get(`pwreset:latest:${entry.customerId}`);
    if (latest?.value !== hash) return { ...found, check: { status: 'superseded' } };
    return { ...found, check: { status: 'valid', customerId: entry.customerId } };
  }
}
