import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isSwitchboardError, SwitchboardError } from '../core/errors.js';
import type { Logger } from './logger.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

function fromBodyParser(error: unknown): SwitchboardError | null {
  const type = (error as BodyParserError | null)?.type;
  if (type === 'entity.too.large') return new SwitchboardError('SB_ERR_BODY_TOO_LARGE');
  if (type === 'entity.parse.failed') return new SwitchboardError('SB_ERR_VALIDATION', 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new SwitchboardError('SB_ERR_VALIDATION', 'The request body encoding is not supported');
  }
  return null;
}

const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** Every error leaves as `{ error: { code, message, details? } }`; internals never leak. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = isSwitchboardError(error) ? error : fromBodyParser(error);
    const sbError = known ?? new SwitchboardError('SB_ERR_INTERNAL');
    if (known === null) log.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    else if (sbError.status >= 500) log.warn({ code: sbError.code, path: req.path }, sbError.message);
    // Every 429 and 503 says when to come back: providers and widgets retry on it.
    if (sbError.status === 429 || sbError.status === 503) res.set('Retry-After', String(Math.max(1, Math.ceil(sbError.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS))));
    res.status(sbError.status).json(sbError.toJSON());
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new SwitchboardError('SB_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};
