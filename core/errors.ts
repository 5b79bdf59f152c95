/**
 * The catalogue of coded errors. Every error a caller can see has a stable code,
 * a message template and an HTTP status, so clients can branch on `code`.
 */
export const ERROR_CATALOGUE = {
  SB_ERR_CONFIG: { status: 500, message: 'Invalid configuration' },
  SB_ERR_VALIDATION: { status: 400, message: 'The request is invalid' },
  SB_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  SB_ERR_UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  SB_ERR_FORBIDDEN: { status: 403, message: 'You are not allowed to do this' },
  SB_ERR_WEBHOOK_SIGNATURE: { status: 403, message: 'Webhook signature validation failed' },
  SB_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  SB_ERR_CONFLICT: { status: 409, message: 'The resource was changed by someone else' },
  SB_ERR_POLICY: { status: 422, message: "The shop's policy does not allow this" },
  SB_ERR_OUTSIDE_WINDOW: { status: 422, message: "The customer's messaging window is closed: only an approved template can be sent" },
  SB_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests' },
  SB_ERR_LOCK_TIMEOUT: { status: 503, message: 'The conversation is busy; try again' },
  SB_ERR_UNAVAILABLE: { status: 503, message: 'A backing service is unavailable' },
  SB_ERR_IMPORT: { status: 422, message: 'The import file is invalid; nothing was imported' },
  SB_ERR_SHOP_EVENT: { status: 422, message: 'The shop events are invalid; nothing was stored' },
  SB_ERR_INTENTS: { status: 422, message: 'The intent files are invalid' },
  SB_ERR_KNOWLEDGE: { status: 422, message: 'The knowledge-base content is invalid' },
  SB_ERR_SHUTTING_DOWN: { status: 503, message: 'The server is shutting down' },
  SB_ERR_INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem inside a request or file: where it is and what is wrong. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  /** Seconds the client should wait before retrying (the `Retry-After` of a 429 or 503). */
  readonly retryAfterSeconds: number | undefined;

  /**
   * `status` overrides the catalogue's for a code whose meaning depends on the route: a form whose
   * fields break their configured rules is 422 `SB_ERR_VALIDATION` (issue 12), a malformed body 400.
   */
  constructor(code: ErrorCode, message?: string, details: ErrorDetail[] = [], options?: { cause?: unknown; retryAfterSeconds?: number; status?: number }) {
    super(message ?? ERROR_CATALOGUE[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = options?.status ?? ERROR_CATALOGUE[code].status;
    this.details = details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}

export function isSwitchboardError(error: unknown): error is SwitchboardError {
  return error instanceof SwitchboardError;
}

/** Turns zod issues into details that name the field, e.g. `orders[3].items[0].sku`. */
export function detailsFromZodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): ErrorDetail[] {
  return issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: issue.message }));
}

export function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
