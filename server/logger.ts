import pino, { type Logger } from 'pino';
import { serializeError } from './error-serializer.js';

/**
 * Structured logs without personal data: emails, phone numbers, addresses and tokens are
 * redacted wherever they appear as fields, and message text is logged only at debug. Errors
 * go through `serializeError`, which keeps what identifies them and drops what drivers attach
 * (SQL parameters, rows, request bodies).
 */
export const REDACTED_PATHS = [
  'email',
  '*.email',
  'phone',
  '*.phone',
  'to',
  '*.to',
  'recipient',
  'address',
  '*.address',
  'shipping_address',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  '*.password',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}

export type { Logger };
