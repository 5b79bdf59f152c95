import { describe, expect, test } from 'vitest';
import { createMemoryBackend, MemorySpace } from '../../state/index.js';
import { PasswordResetTokens } from './password-reset-tokens.js';

describe('password-reset tokens', () => {
  const tokens = () => new PasswordResetTokens(createMemoryBackend({ space: new MemorySpace() }).snapshots);

  test('a token redeems once, for the customer it was issued to', async () => {
    const store = tokens();
    const token = await store.issue('C1001');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [first, second] = await Promise.all([store.redeem(token), store.redeem(token)]);
    expect([first, second].filter((r) => r !== null)).toEqual(['C1001']);
    expect(await store.redeem(token)).toBeNull();
  });

  test('only the latest link works, and a made-up token never does', async () => {
    const store = tokens();
    const older = await store.issue('C1001');
    const newer = await store.issue('C1001');
    expect(await store.redeem(older)).toBeNull();
    expect(await store.redeem('A'.repeat(43))).toBeNull();
    expect(await store.redeem(newer)).toBe('C1001');
  });

  test('a link says why it no longer works: used, expired, superseded or never issued', async () => {
    let now = new Date('2026-12-02T10:00:00Z');
    const store = new PasswordResetTokens(createMemoryBackend({ space: new MemorySpace() }).snapshots, 60 * 60 * 1000, () => now);
    const spent = await store.issue('C1001');
    expect(await store.check(spent)).toEqual({ status: 'valid', customerId: 'C1001' });
    expect(await store.check(spent)).toEqual({ status: 'valid', customerId: 'C1001' });
    expect(await store.redeem(spent)).toBe('C1001');
    expect(await store.check(spent)).toEqual({ status: 'used' });

    const older = await store.issue('C1002');
    const late = await store.issue('C1002');
    expect(await store.check(older)).toEqual({ status: 'superseded' });
    now = new Date(now.getTime() + 60 * 60 * 1000);
    expect(await store.check(late)).toEqual({ status: 'expired' });
    expect(await store.redeem(late)).toBeNull();

    expect(await store.check('A'.repeat(43))).toEqual({ status: 'invalid' });
    expect(await store.check('not a token')).toEqual({ status: 'invalid' });
  });
});
