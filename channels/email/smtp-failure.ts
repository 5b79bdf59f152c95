import { DeliveryError, type DeliveryFailure } from '../../core/channel.js';

/** Socket errors raised before a connection existed: the server never saw the message. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Nodemailer codes of failures before the message was handed over (DNS, TLS set-up, a malformed address). */
const BEFORE_DATA = new Set(['EDNS', 'ETLS', 'EREQUIRETLS']);
const MALFORMED = new Set(['EENVELOPE', 'EMESSAGE']);

interface SmtpErrorFields {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
}

/**
 * What a failed SMTP send means for a retry. The server's reply decides where there is one: 5xx
 * is final (550 no such mailbox, 535 bad credentials), 4xx says "try later" (451, 421). Without
 * a reply, a connection that never opened sent nothing; one that broke mid-conversation may have
 * handed the message over already, so the outcome is unknown.
 */
export function classifySmtpFailure(error: unknown): DeliveryFailure {
  const fields: SmtpErrorFields = typeof error === 'object' && error !== null ? (error as SmtpErrorFields) : {};
  const reply = typeof fields.responseCode === 'number' ? fields.responseCode : null;
  if (reply !== null && reply >= 500) return { kind: 'rejected', providerCode: String(reply) };
  if (reply !== null && reply >= 400) return { kind: 'unavailable' };
  const code = typeof fields.code === 'string' ? fields.code : null;
  const original = typeof fields.originalCode === 'string' ? fields.originalCode : code;
  if (original !== null && NOT_CONNECTED.has(original)) return { kind: 'unavailable' };
  if (code !== null && BEFORE_DATA.has(code)) return { kind: 'unavailable' };
  if (code !== null && MALFORMED.has(code)) return { kind: 'rejected', providerCode: code };
  return { kind: 'unknown_outcome' };
}

export function smtpDeliveryError(error: unknown): DeliveryError {
  return new DeliveryError(classifySmtpFailure(error), { cause: error });
}
