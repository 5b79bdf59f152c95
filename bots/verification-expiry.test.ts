import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { INITIAL_STATE, withVerificationExpiry } from './state.js';

const HOUR = 60 * 60 * 1000;

describe.each(DEPLOYMENTS)('verification expiry (%s)', (deployment) => {
  let service: TestService;
  let offsetMs = 0;
  beforeAll(async () => {
    service = await startTestService(deployment, { VERIFICATION_TTL_HOURS: '24' }, { now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(async () => {
    await service.dispose();
  });

  test('a verified conversation stays verified for VERIFICATION_TTL_HOURS, then the customer proves again', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('where is my order 100234?');
    expect(textOf(await client.say((await latestCode(service.url, 'ada@example.com'))!))).toMatch(/Order 100234: Shipped/);

    offsetMs = 23 * HOUR;
    expect(textOf(await client.say('and where is 100234 now?'))).toMatch(/Order 100234: Shipped/);

    offsetMs = 25 * HOUR;
    const expired = textOf(await client.say('where is 100234 again?'));
    expect(expired).toMatch(/6-digit code/);
    expect(expired).not.toMatch(/Shipped|UPS/);
    expect(textOf(await client.say((await latestCode(service.url, 'ada@example.com'))!))).toMatch(/Order 100234: Shipped/);
  });
});

describe('withVerificationExpiry', () => {
  const verified = { ...INITIAL_STATE, verifiedCustomerId: 'C1', verifiedAt: '2030-01-01T00:00:00.000Z' };
  test.each([
    ['just verified', '2030-01-01T00:00:00.000Z', 'C1'],
    ['a moment before the end', '2030-01-01T23:59:59.999Z', 'C1'],
    ['at the end', '2030-01-02T00:00:00.000Z', null],
    ['long after', '2030-03-01T00:00:00.000Z', null],
  ])('%s', (_name, now, customerId) => {
    expect(withVerificationExpiry(verified, new Date(now), 24 * HOUR).verifiedCustomerId).toBe(customerId);
  });

  test('a state cached before verification times were kept counts as expired', () => {
    const legacy = { ...verified, verifiedAt: undefined } as unknown as typeof verified;
    expect(withVerificationExpiry(legacy, new Date('2030-01-01T00:00:00.000Z'), 24 * HOUR).verifiedCustomerId).toBeNull();
  });
});
