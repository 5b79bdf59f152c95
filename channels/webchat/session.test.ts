import { describe, expect, test } from 'vitest';
import { keyIdOf, WebchatSessions } from './session.js';

const SECRET = 'the-current-session-secret-0123456789abcdef';
const OLD = 'the-previous-session-secret-0123456789abcdef';
const HOUR = 3600_000;

function sessions(options: { secret?: string; previous?: string[]; at?: number; ttlHours?: number } = {}): WebchatSessions {
  const at = options.at ?? Date.parse('2030-01-01T00:00:00Z');
  return new WebchatSessions({ secret: options.secret ?? SECRET, previousSecrets: options.previous ?? [], ttlHours: options.ttlHours ?? 24, now: () => new Date(at) });
}

describe('web-chat session tokens', () => {
  test('a minted token names its key and expiry and verifies to its visitor', () => {
    const { visitorId, token, expiresAt } = sessions().mint();
    const [version, kid, id, expires, signature] = token.split('.');
    expect(version).toBe('v2');
    expect(kid).toBe(keyIdOf(SECRET));
    expect(id).toBe(visitorId);
    expect(Number(expires) * 1000).toBe(Date.parse('2030-01-02T00:00:00Z'));
    expect(expiresAt).toBe('2030-01-02T00:00:00.000Z');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions().verify(token)).toBe(visitorId);
  });

  test('the key id says nothing about the secret', () => {
    const kid = keyIdOf(SECRET);
    expect(kid).toHaveLength(8);
    expect(SECRET).not.toContain(kid);
    expect(kid).not.toBe(keyIdOf(OLD));
  });

  test('a token is refused from the moment it expires', () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const { token } = sessions({ at: start, ttlHours: 2 }).mint();
    expect(sessions({ at: start + 2 * HOUR - 1000 }).verify(token)).not.toBeNull();
    expect(sessions({ at: start + 2 * HOUR }).verify(token)).toBeNull();
  });

  test('after rotation, tokens of a previous secret are accepted while listed, and never once it is dropped', () => {
    const { token, visitorId } = sessions({ secret: OLD }).mint();
    expect(sessions({ previous: [OLD] }).verify(token)).toBe(visitorId);
    expect(sessions().verify(token)).toBeNull();
    // New tokens are always signed with the current secret.
    expect(sessions({ previous: [OLD] }).mint().token.split('.')[1]).toBe(keyIdOf(SECRET));
  });

  const valid = sessions().mint().token;
  const [v, kid, id, exp, sig] = valid.split('.') as [string, string, string, string, string];
  test.each([
    ['an extra segment', `${valid}.extra`],
    ['an extra segment in the middle', [v, kid, id, 'x', exp, sig].join('.')],
    ['a missing segment', [v, kid, id, sig].join('.')],
    ['the old v1 format', `v1.${id}.${sig}`],
    ['another version', ['v3', kid, id, exp, sig].join('.')],
    ['an unknown key id', ['v2', keyIdOf('some-other-secret-nobody-configured-123'), id, exp, sig].join('.')],
    ['a changed visitor id', [v, kid, 'B'.repeat(22), exp, sig].join('.')],
    ['a later expiry', [v, kid, id, String(Number(exp) + 3600), sig].join('.')],
    ['a changed signature', [v, kid, id, exp, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`].join('.')],
    ['an empty string', ''],
    ['a huge token', `${valid}${'A'.repeat(10_000)}`],
  ])('refuses %s', (_name, token) => {
    expect(sessions().verify(token)).toBeNull();
  });
});
