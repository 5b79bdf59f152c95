import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyResult } from '../../core/channel.js';

/** Header names of the test channel's signature scheme, both ways (inbound webhooks and our sends). */
export const TEST_SIGNATURE_HEADER = 'x-test-channel-signature';
export const TEST_TIMESTAMP_HEADER = 'x-test-channel-timestamp';

/** A signed request older (or newer) than this is refused: a captured request cannot be replayed later. */
export const TEST_SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE = /^v1=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

function digest(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/**
 * `v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under the shared secret (the scheme Stripe
 * and Slack use): the timestamp is signed, so it cannot be moved to replay an old request.
 */
export function signTestChannelRequest(secret: string, body: Buffer | string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    [TEST_TIMESTAMP_HEADER]: timestamp,
    [TEST_SIGNATURE_HEADER]: `v1=${digest(secret, timestamp, Buffer.from(body)).toString('hex')}`,
  };
}

/**
 * Checks a request's signature over its exact bytes. Constant time: the digests are compared
 * with `timingSafeEqual` at a fixed length; what fails says only why, never the expected value.
 */
export function verifyTestChannelSignature(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  now: Date,
): VerifyResult {
  const signature = headers[TEST_SIGNATURE_HEADER];
  const timestamp = headers[TEST_TIMESTAMP_HEADER];
  if (signature === undefined || signature === '' || timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing_signature' };
  const given = SIGNATURE.exec(signature.trim());
  if (given === null || !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed_signature' };
  // Both are 32 bytes here, so the comparison's time says nothing about how much matched.
  if (!timingSafeEqual(digest(secret, timestamp, body), Buffer.from(given[1] as string, 'hex'))) return { ok: false, reason: 'bad_signature' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TEST_SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}
