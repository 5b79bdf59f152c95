import { describe, expect, test } from 'vitest';
import { signTestChannelRequest, TEST_SIGNATURE_HEADER, TEST_TIMESTAMP_HEADER, verifyTestChannelSignature } from './signature.js';

const SECRET = 'a-test-channel-secret-of-32-characters!';
const BODY = Buffer.from('{"event":"message","id":"m-1","text":"Grüße ✓"}');
const NOW = new Date('2025-03-04T12:00:00Z');

describe('test channel signatures', () => {
  test('a request signed with the secret over its exact bytes verifies', () => {
    expect(verifyTestChannelSignature(SECRET, signTestChannelRequest(SECRET, BODY, NOW), BODY, NOW)).toEqual({ ok: true });
  });

  const signed = signTestChannelRequest(SECRET, BODY, NOW);
  test.each([
    ['no headers at all', {}, BODY, 'missing_signature'],
    ['a timestamp without a signature', { [TEST_TIMESTAMP_HEADER]: signed[TEST_TIMESTAMP_HEADER] }, BODY, 'missing_signature'],
    ['an empty signature', { ...signed, [TEST_SIGNATURE_HEADER]: '' }, BODY, 'missing_signature'],
    ['a signature of the wrong length', { ...signed, [TEST_SIGNATURE_HEADER]: 'v1=abcd' }, BODY, 'malformed_signature'],
    ['an unknown scheme', { ...signed, [TEST_SIGNATURE_HEADER]: `v0=${'a'.repeat(64)}` }, BODY, 'malformed_signature'],
    ['a timestamp that is not a number', { ...signed, [TEST_TIMESTAMP_HEADER]: 'soon' }, BODY, 'malformed_signature'],
    ['a forged signature', { ...signed, [TEST_SIGNATURE_HEADER]: `v1=${'0'.repeat(64)}` }, BODY, 'bad_signature'],
    ['another secret', signTestChannelRequest(`${SECRET}x`, BODY, NOW), BODY, 'bad_signature'],
    ['a body changed by one byte', signed, Buffer.from(BODY.toString().replace('m-1', 'm-2')), 'bad_signature'],
    ['a body re-serialized with other whitespace', signed, Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 1)), 'bad_signature'],
    ['the timestamp moved to replay it later', { ...signed, [TEST_TIMESTAMP_HEADER]: String(Number(signed[TEST_TIMESTAMP_HEADER]) + 600) }, BODY, 'bad_signature'],
    ['a correctly signed request an hour old', signTestChannelRequest(SECRET, BODY, new Date(NOW.getTime() - 3600_000)), BODY, 'stale_timestamp'],
  ])('%s is refused', (_name, headers, body, reason) => {
    expect(verifyTestChannelSignature(SECRET, headers, body, NOW)).toEqual({ ok: false, reason });
  });

  test('a refusal never carries the expected signature', () => {
    const result = verifyTestChannelSignature(SECRET, { ...signed, [TEST_SIGNATURE_HEADER]: `v1=${'0'.repeat(64)}` }, BODY, NOW);
    expect(JSON.stringify(result)).not.toContain(signed[TEST_SIGNATURE_HEADER]!.slice(3));
  });
});
