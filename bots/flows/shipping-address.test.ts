import { describe, expect, test } from 'vitest';
import { correctedStreet, formatAddress, parseShippingAddress } from './shipping-address.js';

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

  test.each([
    ['500 Howard Street San Francisco CA 94105', { line1: '500 Howard Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' }],
    ['ok then 500 Howard St, San Francisco, CA 94105', { line1: '500 Howard St', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' }],
    ['my new address is 77 elm street portland 97205', { line1: '77 elm street', city: 'portland', postalCode: '97205', country: 'US' }],
  ])('%s is read the way it was typed: no commas, a lead-in, the order\'s country left out', (text, expected) => {
    expect(parseShippingAddress(text, { defaultCountry: 'US' })).toEqual({ ok: true, address: expected });
  });

  test('a UK address typed without commas or capitals keeps its postcode whole', () => {
    expect(parseShippingAddress('my new address is 12 high street london e1 6an uk')).toEqual({
      ok: true,
      address: { line1: '12 high street', city: 'london', postalCode: 'E1 6AN', country: 'GB' },
    });
  });

  test('words before an address that are not a lead-in stay in it', () => {
    expect(parseShippingAddress('Flat 3, 12 High Street, London, E1 6AN, UK')).toMatchObject({ ok: true, address: { line1: 'Flat 3', line2: '12 High Street' } });
  });

  test.each([
    ['sorry, 21 Oak Street, not 12', '21 Oak Street'],
    ['actually 21 Oak St', '21 Oak St'],
    ['yes', null],
    ['21', null],
  ])('"%s" corrects only the street: %s', (text, street) => {
    expect(correctedStreet(text)).toBe(street);
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
