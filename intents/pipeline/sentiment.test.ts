import { describe, expect, test } from 'vitest';
import { analyzeSentiment } from './sentiment.js';

describe('sentiment and frustration', () => {
  test('frustration rises with repetition, shouting and insults', () => {
    const calm = analyzeSentiment('my camera is offline');
    const again = analyzeSentiment('my camera is offline again!!!');
    const furious = analyzeSentiment('THIS IS THE THIRD TIME I AM WRITING, your support is useless and ridiculous!!!');
    expect(calm.frustration).toBeLessThan(again.frustration);
    expect(again.frustration).toBeLessThan(furious.frustration);
    expect(furious.frustration).toBeGreaterThanOrEqual(0.8);
  });

  test('a polite message has positive sentiment and no frustration', () => {
    const thanks = analyzeSentiment('thanks, that was really helpful');
    expect(thanks.score).toBeGreaterThan(0.3);
    expect(thanks.frustration).toBe(0);
  });

  test('a plain question is neutral', () => {
    expect(analyzeSentiment('where is my order')).toEqual({ score: 0, frustration: 0 });
  });

  test('negative words lower the score; scores stay within -1..1 and 0..1', () => {
    const bad = analyzeSentiment('terrible awful horrible worst disgusting hate hate hate');
    expect(bad.score).toBeLessThan(-0.9);
    expect(bad.score).toBeGreaterThanOrEqual(-1);
    expect(bad.frustration).toBeLessThanOrEqual(1);
  });

  test('one capitalised product code is not shouting', () => {
    expect(analyzeSentiment('my TV is broken').frustration).toBeLessThan(analyzeSentiment('MY TV IS BROKEN').frustration);
  });
});
