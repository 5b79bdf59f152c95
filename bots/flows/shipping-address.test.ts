import { describe, expect, test } from 'vitest';
import { formatAddress, parseShippingAddress } from './shipping-address.js';

describe('reading a new delivery address typed in one message', () => {
  test.each([
    ['77 Elm Street, Portland, 97205, US', { line1: '77 Elm Street', city: 'Portland', postalCode: '97205', country: 'US' }],
    ['12 Oak St, Apt 4, Portland, OR 97205, United States', { line1: '12 Oak St', line2: 'Apt 4', city: 'Portland', region: 'OR', postalCode: '97205', country: 'US' }],
    ['221B Baker Street, London, NW1 6XE, UK', { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' }],
    ['5 Rue de Rivoli, Paris, 75001, France', { line1: '5 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' }],
  ])('%s is understood', (text, expected) => {
    expect(parseShippingAddress(text)).toEqual({ ok: true, address: expected });
  });

  test.each([
    ['77 Elm Street, Portland', ['the postal code', 'the country']],
    ['77 Elm Street, Portland, 97205', ['the country']],
    ['12 Oak St, Springfield, 62704, Narnia', ['the country']],
    ['Elm Street, Portland, 97205, US', ['the street and house number']],
    ['please change it', ['the street and house number', 'the city', 'the postal code', 'the country']],
  ])('%s is refused, naming what is missing', (text, missing) => {
    expect(parseShippingAddress(text)).toEqual({ ok: false, missing });
  });

  test('a US address with a malformed ZIP code is refused rather than saved', () => {
    expect(parseShippingAddress('77 Elm Street, Portland, 9720, US')).toMatchObject({ ok: false, missing: ['the postal code'] });
  });

  test('is shown back to the customer in a readable form', () => {
    expect(formatAddress({ line1: '12 Oak St', line2: 'Apt 4', city: 'Portland', region: 'OR', postalCode: '97205', country: 'US' })).toBe(
      '12 Oak St, Apt 4, Portland, OR 97205, United States',
    );
  });
});
