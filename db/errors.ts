import { SwitchboardError } from '../core/errors.js';

/** What a database error means to the caller, whichever driver (pg, PGlite) raised it. */
export type DatabaseFault =
  /** The database cannot be reached or refuses work for now: retry later. */
  | { kind: 'unavailable'; reason: string }
  /** A unique index refused the row (`constraint` names it when the driver says). */
  | { kind: 'unique_violation'; constraint: string | null }
  /** Text the database cannot store (U+0000, unpaired surrogates) got past validation. */
  | { kind: 'unstorable_text' }
  /** Serialization failure or deadlock (40001, 40P01): the same work succeeds when retried. */
  | { kind: 'retryable_conflict'; sqlState: string };

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Socket-level failures reaching the server (Node system error codes). */
const UNAVAILABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Failures that pg, pg-pool, PGlite and Kysely report without any code, only in words; matched
 * by prefix (`Connection terminated unexpectedly`, `… due to connection timeout`).
 */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
  'driver has already been destroyed',
];

/**
 * SQLSTATEs that mean "not now" rather than "never": class 08 (connection exception), 53
 * (insufficient resources, e.g. 53300 too many connections), 57P01-03 (admin or crash shutdown,
 * cannot connect now) and 57014 (statement timeout: the server is too slow to answer).
 */
function unavailableSqlState(state: string): boolean {
  return state.startsWith('08') || state.startsWith('53') || ['57P01', '57P02', '57P03', '57014'].includes(state);
}

interface DriverErrorFields {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  routine?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function fieldsOf(error: unknown): DriverErrorFields | null {
  return typeof error === 'object' && error !== null ? (error as DriverErrorFields) : null;
}

function sqlStateOf(fields: DriverErrorFields): string | null {
  return typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields.code : null;
}

/** The routine was renamed in PostgreSQL 16 (json_ereport_error → json_errsave_error). */
function isJsonSyntaxError(fields: DriverErrorFields): boolean {
  return (typeof fields.routine === 'string' && /^json_(ereport|errsave)_error$/.test(fields.routine)) || fields.message === 'invalid input syntax for type json';
}

function classifyOne(fields: DriverErrorFields): DatabaseFault | null {
  const state = sqlStateOf(fields);
  if (state !== null) {
    if (unavailableSqlState(state)) return { kind: 'unavailable', reason: `SQLSTATE ${state}` };
    if (state === '40001' || state === '40P01') return { kind: 'retryable_conflict', sqlState: state };
    if (state === '23505') return { kind: 'unique_violation', constraint: typeof fields.constraint === 'string' ? fields.constraint : null };
    // 22021: invalid byte sequence (NUL in text); 22P05: \u0000 in jsonb; a json syntax error can
    // only come from an unpaired surrogate, since the JSON itself is ours (JSON.stringify).
    if (state === '22021' || state === '22P05' || (state === '22P02' && isJsonSyntaxError(fields))) return { kind: 'unstorable_text' };
    return null;
  }
  if (typeof fields.code === 'string' && UNAVAILABLE_SYSTEM_CODES.has(fields.code)) return { kind: 'unavailable', reason: fields.code };
  const message = typeof fields.message === 'string' ? fields.message : '';
  const known = UNAVAILABLE_MESSAGES.find((m) => message.startsWith(m));
  return known === undefined ? null : { kind: 'unavailable', reason: known };
}

/**
 * Classifies an error from a database call, looking through `cause` chains and the
 * `AggregateError` Node raises when every address of a host refused the connection.
 */
export function classifyDatabaseError(error: unknown): DatabaseFault | null {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 10; seen += 1) {
    const fields = fieldsOf(pending.shift());
    if (fields === null) continue;
    const fault = classifyOne(fields);
    if (fault !== null) return fault;
    if (fields.cause !== undefined) pending.push(fields.cause);
    if (Array.isArray(fields.errors)) pending.push(...(fields.errors as unknown[]).slice(0, 3));
  }
  return null;
}

export function isUniqueViolation(error: unknown): boolean {
  return classifyDatabaseError(error)?.kind === 'unique_violation';
}

/**
 * The coded error a caller sees for a database error, or null when it is not one we can name
 * (a unique violation means something different to each caller, so it is theirs to map).
 */
export function databaseErrorToSwitchboard(error: unknown): SwitchboardError | null {
  const fault = classifyDatabaseError(error);
  switch (fault?.kind) {
    case undefined:
    case 'unique_violation':
      return null;
    case 'unavailable':
      return new SwitchboardError('SB_ERR_UNAVAILABLE', 'The database is unavailable; try again shortly', [{ path: 'database', message: fault.reason }], {
        cause: error,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    case 'retryable_conflict':
      return new SwitchboardError('SB_ERR_LOCK_TIMEOUT', 'The conversation is busy; try again', [{ path: 'database', message: `SQLSTATE ${fault.sqlState}` }], {
        cause: error,
        retryAfterSeconds: 1,
      });
    case 'unstorable_text':
      return new SwitchboardError('SB_ERR_VALIDATION', 'The request contains text that cannot be stored', [
        { path: '(text)', message: 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates' },
      ]);
    default: {
      const unknown: never = fault;
      throw new Error(`unexpected database fault ${JSON.stringify(unknown)}`);
    }
  }
}
