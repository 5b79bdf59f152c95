import { describe, expect, test } from 'vitest';
import type { EntityType } from '../../core/nlu.js';
import { DEMO_CATALOGUE } from '../demoCatalogue.js';
import { createEntityExtractor } from './index.js';

const NOW = new Date('2025-03-12T10:00:00Z'); // a Wednesday
const extractor = createEntityExtractor({ orderNumberPattern: '\\d{6}', catalogue: DEMO_CATALOGUE, now: () => NOW });
const found = (text: string, type: EntityType, expecting?: EntityType): string[] =>
  extractor.extract(text, expecting ? { expecting } : {}).filter((e) => e.type === type).map((e) => e.value);

describe('order numbers', () => {
  test.each([
    ['has 100234 shipped yet', ['100234']],
    ['order #482913 please', ['482913']],
    ['numbers 1002345 and A100234 are not whole-word order numbers', []],
    ['two orders: 111111, 222222.', ['111111', '222222']],
  ])('%s', (text, values) => expect(found(text, 'order_number')).toEqual(values));

  test('the shop\'s own pattern is used, matched as a whole word', () => {
    const custom = createEntityExtractor({ orderNumberPattern: '[A-Z]{2}\\d{8}', catalogue: [] });
    expect(custom.extract('my order is VL20250312 thanks').map((e) => e.value)).toEqual(['VL20250312']);
    expect(custom.extract('XVL20250312').length).toBe(0);
  });

  test('a spaced order number is read when the customer says it is an order, never from inside a phone number', () => {
    expect(found('order number 100 234 where is it', 'order_number')).toEqual(['100234']);
    expect(found('my phone number is +1 415 555 0101', 'order_number', 'order_number')).toEqual([]);
    expect(found('order placed from +1 415 555 0101', 'order_number')).toEqual([]);
    expect(found('my phone number is +1 415 555 0101', 'phone', 'order_number')).toEqual(['+14155550101']);
  });

  test('when the bot asked for an order number, lower case and spaced digits are accepted', () => {
    const custom = createEntityExtractor({ orderNumberPattern: '[A-Z]{2}\\d{8}', catalogue: [] });
    expect(custom.extract('vl20250312').length).toBe(0);
    expect(custom.extract('vl20250312', { expecting: 'order_number' }).map((e) => e.value)).toEqual(['VL20250312']);
    expect(found('it is 100 234', 'order_number')).toEqual([]);
    expect(found('it is 100 234', 'order_number', 'order_number')).toEqual(['100234']);
  });

  test('an order number is not also read as a phone number or a date', () => {
    expect(extractor.extract('where is 100234').map((e) => e.type)).toEqual(['order_number']);
  });
});

describe('emails', () => {
  test('are found and lower-cased, with offsets into the original text', () => {
    const [email] = extractor.extract('reach me at Jane.Doe+shop@Example.co.uk.');
    expect(email).toMatchObject({ type: 'email', value: 'jane.doe+shop@example.co.uk', raw: 'Jane.Doe+shop@Example.co.uk', start: 12 });
  });

  test('a spelled-out address counts only when the bot asked for an email', () => {
    expect(found('jane at example dot com', 'email')).toEqual([]);
    expect(found('jane at example dot com', 'email', 'email')).toEqual(['jane@example.com']);
  });
});

describe('phone numbers in several formats become E.164', () => {
  test.each([
    ['call me on (415) 555-2671', '+14155552671'],
    ['my number is 415.555.2671', '+14155552671'],
    ['415-555-2671', '+14155552671'],
    ['uk number +44 20 7946 0958', '+442079460958'],
    ['+1 415 555 2671 is best', '+14155552671'],
  ])('%s', (text, value) => expect(found(text, 'phone')).toEqual([value]));
});

describe('dates', () => {
  test.each([
    ['it was supposed to come yesterday', '2025-03-11'],
    ['will it arrive tomorrow?', '2025-03-13'],
    ['charged twice on March 3', '2025-03-03'],
    ['ordered last friday', '2025-03-07'],
    ['delivery on 2025-04-01', '2025-04-01'],
  ])('%s', (text, value) => expect(found(text, 'date')).toEqual([value]));

  test('"now" and ordinary words are not dates', () => {
    expect(found('can you help me now', 'date')).toEqual([]);
    expect(found('i may want to return the second one', 'date')).toEqual([]);
  });
});

describe('money', () => {
  test.each([
    ['charged $49.99 twice', ['49.99 USD']],
    ['I paid 1,299 dollars', ['1299.00 USD']],
    ['refund of €20 and £5.50', ['20.00 EUR', '5.50 GBP']],
    ['it cost 49,99 EUR', ['49.99 EUR']],
    ['USD 15', ['15.00 USD']],
  ])('%s', (text, values) => expect(found(text, 'money')).toEqual(values));
});

describe('quantities', () => {
  test.each([
    ['I need 2 cameras', ['2']],
    ['three plugs please', ['3']],
    ['return both of the speakers', ['2']],
    ['x3', ['3']],
  ])('%s', (text, values) => expect(found(text, 'quantity')).toEqual(values));
});

describe('products and devices from the catalogue', () => {
  test.each([
    ['my Voltline Cam 360 is offline', 'VL-CAM-360'],
    ['my voltine cam 360 is offline', 'VL-CAM-360'],
    ['the soundmax crackles', 'VL-SOUND-MAX'],
    ['the sond max crackles', 'VL-SOUND-MAX'],
    ['my buds anc wont pair', 'VL-BUDS-ANC'],
    ['the thermo sensor is offline', 'VL-THERMO-S'],
    ['mesh pro slow', 'VL-MESH-PRO'],
    ['upgrade my Vison 65 tv', 'VL-TV-65'],
    ['book 16 pro battery', 'VL-BOOK-16'],
  ])('%s', (text, sku) => expect(found(text, 'product')).toEqual([sku]));

  test('the brand word, even misspelt, is part of the mention', () => {
    expect(extractor.extract('my voltine cam 360 is offline')).toEqual([expect.objectContaining({ type: 'product', value: 'VL-CAM-360', raw: 'voltine cam 360', start: 3, end: 18 })]);
  });

  test('words shared by two products name no product, only the kind of device', () => {
    expect(found('my mesh keeps dropping', 'product')).toEqual([]);
    expect(found('my mesh keeps dropping', 'device')).toEqual(['router']);
    expect(found('the thermostat and my headphones', 'device')).toEqual(['thermostat', 'headphones']);
  });

  test('common words are not products', () => {
    expect(found('I want one thing, pro tip: max it out', 'product')).toEqual([]);
  });

  test('a short word one letter off a product word is that English word, not the product', () => {
    const withMount = createEntityExtractor({ orderNumberPattern: '\\d{6}', catalogue: [...DEMO_CATALOGUE, { sku: 'VL-TV-MOUNT', name: 'Voltline Vision Wall Mount', category: 'accessory' }] });
    const products = (text: string) => withMount.extract(text).filter((e) => e.type === 'product').map((e) => e.value);
    expect(products("they just don't fit my ears well")).toEqual([]);
    expect(products('the wall mount wobbles')).toEqual(['VL-TV-MOUNT']);
    expect(products('the wal mount wobbles')).toEqual(['VL-TV-MOUNT']);
  });

  describe('a verb names no product: products are named by their nouns', () => {
    const withAccessories = createEntityExtractor({
      orderNumberPattern: '\\d{6}',
      catalogue: [
        ...DEMO_CATALOGUE,
        { sku: 'VL-USBC-65W', name: 'Voltline USB-C 65W Charger', category: 'accessory' },
        { sku: 'VL-BUDS-CASE', name: 'Voltline Buds Charging Case', category: 'accessory' },
      ],
    });
    const products = (text: string) => withAccessories.extract(text).filter((e) => e.type === 'product').map((e) => e.value);

    test.each([
      "the buds from 100235 are faulty, left one doesn't charge. I want to return them",
      'my laptop wont charge anymore',
      'it charges really slowly',
      'was charged twice for my order',
      'the left bud stopped charging',
    ])('%s', (text) => expect(products(text)).toEqual([]));

    test.each([
      ['i need a new charger', 'VL-USBC-65W'],
      ['my usb c charger got hot', 'VL-USBC-65W'],
      ['the chargr stopped working', 'VL-USBC-65W'],
      ['lost the charging case', 'VL-BUDS-CASE'],
    ])('%s', (text, sku) => expect(products(text)).toEqual([sku]));

    test('the buds that do not charge are the kind of device, not the charger', () => {
      const text = "the buds from 100235 are faulty, left one doesn't charge";
      expect(withAccessories.extract(text).filter((e) => e.type === 'device').map((e) => e.value)).toEqual(['headphones']);
    });
  });
});
