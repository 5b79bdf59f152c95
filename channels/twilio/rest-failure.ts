import twilio from 'twilio';
import { DeliveryError, type DeliveryFailure } from '../../core/channel.js';
import { TwilioRateLimitedError } from './rest-client.js';

/** Errors raised before the request was written: Twilio never saw it, so it may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * What a failed call of Twilio's REST API means for a retry. Twilio answers 4xx for what will
 * never work (21211 invalid "To", 21610 the recipient replied STOP, 20003 bad credentials): final.
 * 429 and 5xx sent nothing and are retried. A timeout or a reset after the request went out may
 * have sent the message: unknown.
 */
export function classifyTwilioFailure(error: unknown): DeliveryFailure {
  if (error instanceof TwilioRateLimitedError) return { kind: 'rate_limited', retryAfterMs: error.retryAfterMs };
  if (error instanceof twilio.RestException) {
    if (error.status === 429) return { kind: 'rate_limited', retryAfterMs: null };
    if (error.status >= 500) return { kind: 'unavailable' };
    return { kind: 'rejected', providerCode: error.code !== undefined ? String(error.code) : String(error.status) };
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return { kind: 'unavailable' };
  return { kind: 'unknown_outcome' };
}

/** Rethrows a Twilio client failure as the `DeliveryError` the queue understands (the cause kept for the log). */
export function twilioDeliveryError(error: unknown): DeliveryError {
  return new DeliveryError(classifyTwilioFailure(error), { cause: error });
}
