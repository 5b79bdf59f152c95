import twilio from 'twilio';
import type { RawInboundRequest, VerifyResult } from '../../core/channel.js';
import { formFields } from './wire.js';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** A base64 HMAC-SHA1: 28 characters. Anything else is refused before the HMAC is computed. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;

/**
 * Checks `X-Twilio-Signature` with the twilio package's validator over the URL Twilio posted to
 * as it knows it: `publicUrl` is PUBLIC_URL + the original path and query, never the request's
 * Host or protocol (a client sets those; behind a proxy they differ from what Twilio signed),
 * and over every posted field, repeated names with all their values. Fails closed: a missing
 * token, header or form refuses the request. The library compares in constant time
 * (scmp); its `webhook()` middleware is not used because it trusts `req.protocol` and answers
 * 400 for a missing header.
 */
export function verifyTwilioSignature(authToken: string, request: RawInboundRequest): VerifyResult {
  if (authToken === '') return { ok: false, reason: 'bad_signature' };
  const header = request.headers[TWILIO_SIGNATURE_HEADER];
  if (header === undefined || header === '') return { ok: false, reason: 'missing_signature' };
  if (!SIGNATURE_SHAPE.test(header)) return { ok: false, reason: 'malformed_signature' };
  const params: Record<string, string | string[]> = {};
  for (const [name, values] of formFields(request.body)) params[name] = values.length === 1 ? values[0]! : values;
  return twilio.validateRequest(authToken, header, request.publicUrl, params) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
