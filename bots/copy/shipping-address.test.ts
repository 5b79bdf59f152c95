import { describe, expect, test } from 'vitest';
import { SHIPPING_ADDRESS_COPY_EN as COPY } from './shipping-address.js';

describe('the English words of a delivery address', () => {
  test.each([
    [[], ''],
    [['the country'], 'the country'],
    [['the postal code', 'the country'], 'the postal code and the country'],
    [['the city', 'the postal code', 'the country'], 'the city, the postal code and the country'],
  ])('the missing parts %j are named as "%s"', (parts, phrase) => {
    expect(COPY.listParts(parts)).toBe(phrase);
  });

  test('a country is shown by its name, never as a bare code the customer has to decode', () => {
    expect(COPY.countryName('GB')).toBe('United Kingdom');
    expect(COPY.countryName('US')).toBe('United States');
  });
});
