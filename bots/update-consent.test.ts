import { expect, test } from 'vitest';
import { consentCommand } from './update-consent.js';

test.each([
  ['text me updates', 'webchat', { granted: true, channel: 'sms' }],
  ['Can you text me order updates please?', 'test', { granted: true, channel: 'sms' }],
  ['email me updates instead', 'sms', { granted: true, channel: 'email' }],
  ['keep me posted', 'whatsapp', { granted: true, channel: 'whatsapp' }],
  ['send me updates by email', 'webchat', { granted: true, channel: 'email' }],
  ['stop updates', 'sms', { granted: false, channel: 'sms' }],
  ['no more notifications please', 'whatsapp', { granted: false, channel: 'whatsapp' }],
  ["please don't text me updates anymore", 'webchat', { granted: false, channel: 'sms' }],
  ['where is my order?', 'sms', null],
  // Not a consent: the carrier keyword STOP is the SMS connector's, and a sentence is neither.
  ['stop texting me', 'sms', null],
  ['STOP', 'sms', null],
] as const)('"%s" on %s', (text, channel, expected) => {
  expect(consentCommand(text, channel)).toEqual(expected);
});
