import { describe, expect, test } from 'vitest';
import { productFilterOf } from './product-filter.js';

describe('which product an answer is filtered by', () => {
  test.each([
    ['a product the articles are written about: its name', { sku: 'BK14', name: 'Voltline Book 14', family: 'laptop' as const }, 'Voltline Book 14'],
    ['an accessory no article names: its family, so the TV articles still count', { sku: 'VWM', name: 'Voltline Vision Wall Mount', family: 'tv' as const }, 'tv'],
    ['an accessory of no device family: no filter', { sku: 'USB', name: 'Voltline USB-C Cable', family: null }, undefined],
    ['only a kind of device: its family', { sku: null, name: null, family: 'camera' as const }, 'camera'],
  ])('%s', (_name, named, expected) => {
    expect(productFilterOf(named)).toBe(expected);
  });

  test('nothing named: no filter', () => {
    expect(productFilterOf(null)).toBeUndefined();
  });
});
