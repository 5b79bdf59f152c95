import { describe, expect, test } from 'vitest';
import { loadConfig } from './config.js';
import { InboundMessageSchema } from './message.js';
import { isIanaTimeZone } from './time-zone.js';

describe('time zones', () => {
  test('SHOP_TIME_ZONE defaults to the shop’s Pacific time and takes any IANA zone', () => {
    expect(loadConfig({}).SHOP_TIME_ZONE).toBe('America/Los_Angeles');
    expect(loadConfig({ SHOP_TIME_ZONE: 'Europe/Berlin' }).SHOP_TIME_ZONE).toBe('Europe/Berlin');
  });

  test.each(['Mars/Olympus_Mons', '+01:00', 'PST', 'GMT+2', 'Europe/Berlin; drop table', ''.padEnd(80, 'A/')])(
    'SHOP_TIME_ZONE=%j stops start-up with one line naming the variable and an example',
    (value) => {
      let message = '';
      try {
        loadConfig({ SHOP_TIME_ZONE: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^SHOP_TIME_ZONE=.* is invalid: must be an IANA time zone such as America\/Los_Angeles or Europe\/Berlin\. Example: SHOP_TIME_ZONE=America\/New_York$/);
      expect(message).not.toContain('\n');
    },
  );

  test.each([
    ['America/Los_Angeles', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Etc/GMT+5', true],
    ['UTC', true],
    ['Mars/Base', false],
    ['Europe/Nowhere', false],
    ['', false],
  ])('%j is an IANA time zone: %s', (zone, valid) => {
    expect(isIanaTimeZone(zone)).toBe(valid);
  });

  test('an inbound message carries a valid time zone and refuses an invalid one', () => {
    const base = { channel: 'webchat', providerMessageId: 'm1', senderId: 'v1', text: 'hi', receivedAt: new Date() } as const;
    expect(InboundMessageSchema.parse({ ...base, timeZone: 'Asia/Tokyo' }).timeZone).toBe('Asia/Tokyo');
    expect(InboundMessageSchema.safeParse({ ...base, timeZone: 'Asia/Atlantis' }).success).toBe(false);
  });
});
