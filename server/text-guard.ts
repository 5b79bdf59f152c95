import express, { type RequestHandler } from 'express';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { findUnstorableText, unstorableReason } from '../core/text.js';

function invalidText(details: ErrorDetail[]): SwitchboardError {
  return new SwitchboardError('SB_ERR_VALIDATION', 'The request contains text that cannot be stored: remove NUL characters and unpaired surrogates', details);
}

function invalidAddress(details: ErrorDetail[]): SwitchboardError {
  return new SwitchboardError('SB_ERR_VALIDATION', 'The address is not valid: check the link, or percent-encode it as UTF-8', details);
}

/**
 * Each segment of the raw URL path must be valid percent-encoded UTF-8 and decode to storable
 * text. Checked once, up front, so no route, static file or parameter decoder meets `%ff`.
 */
function pathProblems(rawPath: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [index, segment] of rawPath.split('/').entries()) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      problems.push({ path: 'path', message: `segment ${index} is not valid percent-encoded UTF-8` });
      continue;
    }
    const reason = unstorableReason(decoded);
    if (reason !== null) problems.push({ path: 'path', message: `segment ${index} ${reason}` });
  }
  return problems;
}

/** App-wide, before any route: the URL path and the query string. */
export const requestTextGuard: RequestHandler = (req, _res, next) => {
  const inPath = pathProblems(req.path);
  if (inPath.length > 0) return next(invalidAddress(inPath));
  const inQuery = findUnstorableText(req.query, 'query');
  next(inQuery.length > 0 ? invalidText(inQuery) : undefined);
};

/** After a body parser: every string and field name in the parsed body. */
export const bodyTextGuard: RequestHandler = (req, _res, next) => {
  const details = findUnstorableText(req.body as unknown);
  next(details.length > 0 ? invalidText(details) : undefined);
};

/**
 * The JSON body parser every route uses: parse within `limit`, then refuse text the database
 * cannot store, naming the field, before any handler sees it.
 */
export function jsonBody(options: { limit: string }): RequestHandler[] {
  return [express.json({ limit: options.limit }), bodyTextGuard];
}
