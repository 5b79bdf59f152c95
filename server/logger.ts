import pino, { type Logger } from 'pino';

/**
 * Structured logs without personal data: emails, phone numbers, addresses and tokens are
 * redacted wherever they appear as fields, and message text is logged only at debug.
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
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

export type { Logger };
