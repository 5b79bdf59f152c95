import { describe, expect, test } from 'vitest';
import { renderFor, TEXT_ONLY_CAPABILITIES } from '../channels/degrade.js';
import { optionNamingDevice, resolveChoice } from './choice-resolver.js';

const LIGHTS = [
  { label: "It's off", value: 'tree:off' },
  { label: 'Blinking red', value: 'tree:blinking-red' },
  { label: 'Solid red', value: 'tree:solid-red' },
  { label: 'Solid white', value: 'tree:solid-white' },
];
const YES_NO = [
  { label: 'Yes, it works', value: 'tree:yes' },
  { label: "No, it's still offline", value: 'tree:no' },
];
const ORDERS = [
  { label: '100234 · Aurora ANC earbuds · shipped · 3 Nov', value: 'order:100234' },
  { label: '100235 · Lumen smart bulb 4-pack · delivered · 28 Oct', value: 'order:100235' },
];
const VOLTLINE_ORDERS = [
  { label: '100236 · Voltline Thermo · Placed · Thu, Dec 3', value: 'order:100236' },
  { label: '100234 · Voltline Sound Max · Shipped · Mon, Nov 30', value: 'order:100234' },
  { label: '100235 · Voltline Buds ANC · Delivered · Mon, Nov 23', value: 'order:100235' },
];
const CONDITION = [
  { label: 'Unopened, still sealed', value: 'return-condition:unopened' },
  { label: 'Opened, works fine', value: 'return-condition:opened' },
  { label: 'Damaged or faulty', value: 'return-condition:defective' },
];
const REASON = [
  { label: 'Changed my mind', value: 'return-reason:changed_mind' },
  { label: 'Not what I expected', value: 'return-reason:not_as_expected' },
  { label: 'Wrong item sent', value: 'return-reason:wrong_item' },
];

describe('a typed answer to offered options', () => {
  test.each([
    ['2', 'tree:blinking-red', 'number', LIGHTS],
    [' 4. ', 'tree:solid-white', 'number', LIGHTS],
    ['#1', 'tree:off', 'number', LIGHTS],
    ['option 3', 'tree:solid-red', 'number', LIGHTS],
    ['the second one', 'tree:blinking-red', 'ordinal', LIGHTS],
    ['last', 'tree:solid-white', 'ordinal', LIGHTS],
    ['3rd please', 'tree:solid-red', 'ordinal', LIGHTS],
    ['solid white', 'tree:solid-white', 'label', LIGHTS],
    ['Solid White!', 'tree:solid-white', 'label', LIGHTS],
    ['the solid white one', 'tree:solid-white', 'label', LIGHTS],
    ['solid whte', 'tree:solid-white', 'variant', LIGHTS],
    ['its blinking red', 'tree:blinking-red', 'label', LIGHTS],
    ['blinkin red', 'tree:blinking-red', 'variant', LIGHTS],
    ['off', 'tree:off', 'label', LIGHTS],
    ['yes', 'tree:yes', 'first-word', YES_NO],
    ['yep', 'tree:yes', 'first-word', YES_NO],
    ['nope', 'tree:no', 'first-word', YES_NO],
    ['still offline', 'tree:no', 'variant', YES_NO],
    ['100235', 'order:100235', 'variant', ORDERS],
    ['the earbuds', 'order:100234', 'variant', ORDERS],
    ['opened', 'return-condition:opened', 'variant', CONDITION],
    ['damaged', 'return-condition:defective', 'variant', CONDITION],
    ['unopend', 'return-condition:unopened', 'variant', CONDITION],
    ['chnaged my mind', 'return-reason:changed_mind', 'variant', REASON],
    ['wrnog item', 'return-reason:wrong_item', 'variant', REASON],
    ['the thermostat one', 'order:100236', 'device', VOLTLINE_ORDERS],
    ['the one with the speaker', 'order:100234', 'device', VOLTLINE_ORDERS],
    ['my earbuds', 'order:100235', 'device', VOLTLINE_ORDERS],
  ])('"%s" picks %s (%s)', (text, value, via, options) => {
    expect(resolveChoice(options, { text })).toMatchObject({ option: { value }, via });
  });

  test.each([
    ['red', LIGHTS, 'two labels say red'],
    ['solid', LIGHTS, 'two labels say solid'],
    ['9', LIGHTS, 'there is no ninth option'],
    ['0', LIGHTS, 'there is no option zero'],
    ['where is my refund?', LIGHTS, 'a new question'],
    ['the light is green', LIGHTS, 'a word no label has'],
    ['actually I want to return my earbuds', ORDERS, 'a change of mind'],
    ['', LIGHTS, 'nothing typed'],
    ['please', LIGHTS, 'only filler words'],
    ['yes', LIGHTS, 'no option starts with yes'],
    ['100236', ORDERS, 'an order that was not offered'],
    ['the camera', VOLTLINE_ORDERS, 'no order holds a camera'],
    ['the speaker and the thermostat', VOLTLINE_ORDERS, 'two kinds of device'],
  ])('"%s" picks nothing (%s): intent detection decides', (text, options) => {
    expect(resolveChoice(options, { text })).toBeNull();
  });

  test('a pressed button is its own payload; a payload that was not offered is not a choice', () => {
    expect(resolveChoice(LIGHTS, { text: '', payload: 'tree:solid-red' })).toMatchObject({ index: 2, via: 'payload' });
    expect(resolveChoice(LIGHTS, { text: 'Solid red', payload: 'intent:human_agent' })).toBeNull();
  });
});

test('every line a text-only channel shows maps back to its option, by number and by label', () => {
  const [shown] = renderFor({ kind: 'choice', text: 'What colour is the light?', options: LIGHTS }, TEXT_ONLY_CAPABILITIES);
  const lines = shown?.kind === 'text' ? shown.text.split('\n').slice(1) : [];
  expect(lines).toHaveLength(LIGHTS.length);
  for (const [i, line] of lines.entries()) {
    const [number, label] = [line.slice(0, line.indexOf('.')), line.slice(line.indexOf('.') + 2)];
    expect(resolveChoice(LIGHTS, { text: number })?.option).toEqual(LIGHTS[i]);
    expect(resolveChoice(LIGHTS, { text: label })?.option).toEqual(LIGHTS[i]);
  }
});

describe('the order a whole sentence names by its kind of device', () => {
  test.each<[string, string | null]>([
    ['and the other one I ordered, the thermostat?', 'order:100236'],
    ['what about my other order with the speaker', 'order:100234'],
    // Two kinds, or none, name no order: the customer is shown the list instead of a guess.
    ['the speaker and the thermostat ones', null],
    ['and the other one I ordered?', null],
  ])('"%s" picks %s', (text, value) => {
    expect(optionNamingDevice(VOLTLINE_ORDERS, text)?.value ?? null).toBe(value);
  });
});
