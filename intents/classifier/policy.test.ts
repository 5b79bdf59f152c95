import { describe, expect, test } from 'vitest';
import { FALLBACK_POLICY, fitPolicy, MIN_MARGIN_FLOOR, REJECT_BUDGET } from './policy.js';

/** Held-out logits for two intents: confident right answers, and hesitant wrong ones. */
function heldOut(right: number, wrong: number): { logits: Float64Array; gold: Int32Array } {
  const n = right + wrong;
  const logits = new Float64Array(n * 2);
  const gold = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const isRight = i < right;
    gold[i] = i % 2;
    const top = isRight ? gold[i]! : 1 - gold[i]!;
    logits[i * 2 + top] = isRight ? 1 + (i % 10) / 10 : 0.05;
  }
  return { logits, gold };
}

describe('out-of-scope policy learned from held-out examples', () => {
  test('rejects the hesitant wrong answers while giving up at most the budget of right ones', () => {
    const data = heldOut(200, 40);
    const policy = fitPolicy(['a', 'b'], data);
    expect(policy.temperature).toBeGreaterThan(0);
    const probs = (i: number): number => {
      const a = Math.exp(data.logits[i * 2]! / policy.temperature);
      const b = Math.exp(data.logits[i * 2 + 1]! / policy.temperature);
      return Math.max(a, b) / (a + b);
    };
    let lostRight = 0;
    let caughtWrong = 0;
    for (let i = 0; i < 240; i++) {
      const p = probs(i);
      const rejected = p < policy.minConfidence || 2 * p - 1 < policy.minMargin;
      if (rejected && i < 200) lostRight++;
      if (rejected && i >= 200) caughtWrong++;
    }
    expect(lostRight).toBeLessThanOrEqual(Math.floor(REJECT_BUDGET * 200));
    expect(caughtWrong).toBe(40);
  });

  test('always keeps a minimum top-two margin', () => {
    expect(fitPolicy(['a', 'b'], heldOut(200, 0)).minMargin).toBeGreaterThanOrEqual(MIN_MARGIN_FLOOR);
  });

  test('falls back to the default policy when too few examples were held out', () => {
    expect(fitPolicy(['a', 'b'], heldOut(5, 1))).toEqual(FALLBACK_POLICY);
  });
});
