import { describe, expect, test } from 'vitest';
import { planNotice, optOutKey } from './notice-planner.js';
import { nextSendTime, parseQuietHours } from './quiet-hours.js';

describe('quiet hours', () => {
  const berlin = parseQuietHours('21:00-08:00', 'Europe/Berlin');
  test.each([
    ['a notice at 11:00 goes at once', '2026-03-10T10:00:00Z', '2026-03-10T10:00:00.000Z'],
    ['a notice at 22:30 waits for 08:00 the next morning', '2026-03-10T21:30:00Z', '2026-03-11T07:00:00.000Z'],
    ['a notice at 03:00 waits for 08:00 the same morning', '2026-03-11T02:00:00Z', '2026-03-11T07:00:00.000Z'],
    ['a notice at 07:59 waits a minute', '2026-03-11T06:59:00Z', '2026-03-11T07:00:00.000Z'],
    ['the night summer time starts counts as the zone counts it', '2026-03-28T22:00:00Z', '2026-03-29T06:00:00.000Z'],
  ])('%s', (_name, at, expected) => {
    expect(nextSendTime(berlin, new Date(at)).toISOString()).toBe(expected);
  });

  test('a daytime window and none at all', () => {
    const lunch = parseQuietHours('12:00-13:00', 'UTC');
    expect(nextSendTime(lunch, new Date('2026-03-10T12:30:00Z')).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(nextSendTime(lunch, new Date('2026-03-10T13:00:00Z')).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(parseQuietHours(undefined, 'UTC')).toBeNull();
    expect(nextSendTime(null, new Date('2026-03-10T23:00:00Z')).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });
});

describe('where a notice goes', () => {
  const ada = { id: 'C1001', email: 'ada@example.com', phone: '+14155550101', preferredChannel: 'email' as const };
  const carries = () => true;
  test.each([
    ['no consent: nothing', [], new Set<string>(), { kind: 'skip', reason: 'no_consent' }],
    ['the preferred channel when consented on', ['sms', 'email'], new Set<string>(), { kind: 'send', channel: 'email', to: 'ada@example.com' }],
    ['another consented channel otherwise', ['sms'], new Set<string>(), { kind: 'send', channel: 'sms', to: '+14155550101' }],
    ['never a number that texted STOP', ['sms'], new Set([optOutKey('sms', '+14155550101')]), { kind: 'skip', reason: 'opted_out' }],
    ['the other consented channel past an opt-out', ['sms', 'email'], new Set([optOutKey('email', 'ada@example.com')]), { kind: 'send', channel: 'sms' }],
    ['WhatsApp to the number on file where the deployment carries it', ['whatsapp'], new Set<string>(), { kind: 'send', channel: 'whatsapp', to: '+14155550101' }],
    ['never a WhatsApp number Twilio reported unsubscribed (21610)', ['whatsapp'], new Set([optOutKey('whatsapp', '+14155550101')]), { kind: 'skip', reason: 'opted_out' }],
  ] as const)('%s', (_name, granted, optedOut, expected) => {
    expect(planNotice({ customer: ada, granted, optedOut, carries })).toMatchObject(expected);
  });

  test('WhatsApp on a deployment without it is not carried: nothing, never another channel the customer did not consent on', () => {
    expect(planNotice({ customer: ada, granted: ['whatsapp'], optedOut: new Set(), carries: (channel) => channel !== 'whatsapp' })).toEqual({ kind: 'skip', reason: 'no_reachable_channel' });
  });
});
