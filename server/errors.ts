import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isSwitchboardError, SwitchboardError, type ErrorCode } from '../core/errors.js';
import { databaseErrorToSwitchboard } from '../db/errors.js';
import type { Logger } from './logger.js';

/** The shape of errors from express, body-parser and the router (http-errors). */
interface HttpError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
}

/** Client errors raised by express itself, by the status it gave them. */
const CLIENT_ERROR_CODES: Record<number, ErrorCode> = {
  401: 'SB_ERR_UNAUTHENTICATED',
  403: 'SB_ERR_FORBIDDEN',
  404: 'SB_ERR_NOT_FOUND',
  413: 'SB_ERR_BODY_TOO_LARGE',
};

function fromHttpError(error: unknown): SwitchboardError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type, status, statusCode, expose } = error as HttpError;
  if (type === 'entity.too.large') return new SwitchboardError('SB_ERR_BODY_TOO_LARGE');
  // Every 400 names what was wrong, a header or the body, as zod's do for fields.
  if (type === 'entity.parse.failed') return new SwitchboardError('SB_ERR_VALIDATION', 'The request body is not valid JSON', [{ path: 'body', message: 'is not valid JSON' }]);
  if (type === 'encoding.unsupported') {
    return new SwitchboardError('SB_ERR_VALIDATION', 'The request body encoding is not supported', [{ path: 'headers.content-encoding', message: 'use gzip, deflate, br or none' }]);
  }
  if (type === 'charset.unsupported') {
    return new SwitchboardError('SB_ERR_VALIDATION', 'The request body encoding is not supported', [{ path: 'headers.content-type', message: 'the charset must be utf-8' }]);
  }
  // The router decodes path parameters itself and throws a URIError (status 400) on `%ff`.
  if (error instanceof URIError) {
    return new SwitchboardError('SB_ERR_VALIDATION', 'The request contains text that cannot be stored', [{ path: 'path', message: 'is not valid percent-encoded UTF-8' }]);
  }
  const code = typeof status === 'number' ? status : statusCode;
  if (expose !== true || typeof code !== 'number' || code < 400 || code >= 500) return null;
  const mapped = CLIENT_ERROR_CODES[code];
  if (mapped !== undefined) return new SwitchboardError(mapped);
  // What is left is the body failing to arrive whole: a broken compressed stream, a length that
  // does not match, an aborted upload.
  return new SwitchboardError('SB_ERR_VALIDATION', 'The request body could not be read', [{ path: 'body', message: 'could not be read' }]);
}

const SAFE_SEGMENT = /^[A-Za-z][A-Za-z0-9_.-]{0,48}$/;

/**
 * The path for a log line, without what the client put in it: the matched route's template
 * (`/help/:id`) when there is one, otherwise the raw path with any segment that is not a plain
 * word (ids, emails, numbers, encoded text) replaced by `:value`. Never the query string.
 */
function loggablePath(req: Request): string {
  const segments = (req.originalUrl.split('?')[0] ?? '').split('/');
  const route: unknown = req.route;
  const template = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  // The route's path is relative to its router's mount point, which the raw path supplies.
  if (typeof template === 'string' && template.startsWith('/') && !template.includes('*')) {
    const templateSegments = template === '/' ? 0 : template.split('/').length - 1;
    if (templateSegments < segments.length) return `${segments.slice(0, segments.length - templateSegments).join('/')}${template}`.replace(/\/\/+/g, '/');
  }
  return segments.map((s) => (s === '' || (SAFE_SEGMENT.test(s) && !/\d{4}/.test(s)) ? s : ':value')).join('/');
}

const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** Every error leaves as `{ error: { code, message, details? } }`; internals never leak. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = isSwitchboardError(error) ? error : (fromHttpError(error) ?? databaseErrorToSwitchboard(error));
    const sbError = known ?? new SwitchboardError('SB_ERR_INTERNAL');
    // Only the error's allow-listed fields are logged (server/error-serializer.ts), never the request.
    if (known === null) log.error({ err: error, method: req.method, path: loggablePath(req) }, 'unhandled error');
    else if (sbError.status >= 500) log.warn({ err: sbError, code: sbError.code, method: req.method, path: loggablePath(req) }, sbError.message);
    if (res.headersSent) {
      // Half a response cannot be turned into an error response; end it so the client notices.
      res.destroy();
      return;
    }
    // Every 429 and 503 says when to come back: providers and widgets retry on it.
    if (sbError.status === 429 || sbError.status === 503) res.set('Retry-After', String(Math.max(1, Math.ceil(sbError.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS))));
    res.status(sbError.status).json(sbError.toJSON());
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new SwitchboardError('SB_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};
