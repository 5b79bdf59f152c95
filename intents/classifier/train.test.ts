import { describe, expect, test } from 'vitest';
import { MIN_DF } from './features.js';
import { FEW_PHRASES_PER_INTENT, minDocumentFrequency } from './train.js';

const counts = (...perIntent: number[]): Map<string, number> => new Map(perIntent.map((n, i) => [`intent_${i}`, n]));

describe('which rare n-grams the classifier keeps', () => {
  test.each([
    ['five phrases per intent (a new shop)', counts(5, 5, 5, 5), 1],
    ['just under the few-phrases line', counts(FEW_PHRASES_PER_INTENT - 1, FEW_PHRASES_PER_INTENT - 1, 300), 1],
    ['the median intent at the line', counts(3, FEW_PHRASES_PER_INTENT, 200), MIN_DF],
    ['a hundred per intent (CLINC150)', counts(100, 100, 100), MIN_DF],
  ])('%s', (_name, perIntent, minDf) => {
    expect(minDocumentFrequency(perIntent)).toBe(minDf);
  });

  test('one big intent does not make a few-phrase model drop its rare n-grams', () => {
    expect(minDocumentFrequency(counts(5, 5, 5, 5, 5000))).toBe(1);
  });
});
