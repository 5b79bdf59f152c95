import { describe, expect, test } from 'vitest';
import { SocketBudget } from './socket-budget.js';

describe('socket budget', () => {
  test.each([
    { name: 'a client within both caps gets a slot', perIp: 2, total: 5, held: ['a'], next: 'a', expected: 'ok' },
    { name: 'a client at its cap is refused per IP', perIp: 2, total: 5, held: ['a', 'a'], next: 'a', expected: 'per-ip' },
    { name: 'another client is not affected by one at its cap', perIp: 2, total: 5, held: ['a', 'a'], next: 'b', expected: 'ok' },
    { name: 'the instance at its total is refused for everyone', perIp: 2, total: 3, held: ['a', 'b', 'c'], next: 'd', expected: 'total' },
  ])('$name', ({ perIp, total, held, next, expected }) => {
    const budget = new SocketBudget({ perIp, total });
    for (const ip of held) expect(budget.reserve(ip).ok).toBe(true);
    const result = budget.reserve(next);
    expect(result.ok ? 'ok' : result.reason).toBe(expected);
  });

  test('a released slot is given back once, however often release is called', () => {
    const budget = new SocketBudget({ perIp: 1, total: 10 });
    const first = budget.reserve('a');
    if (!first.ok) throw new Error('expected a slot');
    first.release();
    first.release();
    expect(budget.held()).toBe(0);
    expect(budget.held('a')).toBe(0);
    const second = budget.reserve('a');
    expect(second.ok).toBe(true);
    // A double release of the first slot must not free the second one.
    first.release();
    expect(budget.held('a')).toBe(1);
    expect(budget.reserve('a')).toEqual({ ok: false, reason: 'per-ip' });
  });
});
