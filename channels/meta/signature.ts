import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderResponse, VerifyResult } from '../../core/channel.js';

/** Meta signs every webhook's raw body with the app secret: `X-Hub-Signature-256: sha256=<hex>`. */
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The header a webhook signed with `appSecret` carries (tests and the Graph API stand-in sign with it). */
export function signMetaBody(appSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Checks `X-Hub-Signature-256` over the exact bytes received, in constant time, before anything
 * is parsed. Only `sha256=` counts: the older `X-Hub-Signature: sha1=` is never accepted, and a
 * refusal says why as a code, never what was expected.
 */
export function verifyMetaSignature(appSecret: string, headers: Readonly<Record<string, string | undefined>>, body: Buffer): VerifyResult {
  const header = headers[META_SIGNATURE_HEADER];
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
  const match = SIGNATURE.exec(header.trim());
  if (match === null) return { ok: false, reason: 'malformed_signature' };
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/**
 * Meta's subscription check (`GET` on the callback URL): `hub.mode=subscribe` and the verify
 * token configured in the App Dashboard answer 200 with `hub.challenge`, as plain text; anything
 * else is a 403 that echoes nothing, so the URL cannot be used to reflect text.
 */
export function answerMetaHandshake(verifyToken: string, query: Readonly<Record<string, string | undefined>>): ProviderResponse {
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  const tokenMatches = token !== undefined && constantTimeEqual(token, verifyToken);
  if (query['hub.mode'] !== 'subscribe' || !tokenMatches || challenge === undefined || !/^[\w.-]{1,200}$/.test(challenge)) {
    return { status: 403, contentType: 'text/plain', body: 'Forbidden' };
  }
  return { status: 200, contentType: 'text/plain', body: challenge };
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
