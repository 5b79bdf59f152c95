/**
 * What of an error may reach the logs. Drivers attach everything to their errors: PGlite the
 * SQL and every parameter (`query`, `params`), pg the failing row (`detail`, `where`), body-parser
 * the raw request body (`body`). Those carry card numbers, emails and message text, so the
 * serializer copies an allow-list of fields, never the error itself.
 */
export interface SerializedError {
  type: string;
  message: string;
  /** SB_ERR_* code, SQLSTATE or Node system error code. */
  code?: string;
  status?: number;
  /** Schema names a database error refers to (names, not data). */
  constraint?: string;
  table?: string;
  column?: string;
  /** Which fields of a coded error were at fault (paths only). */
  details?: string[];
  /** Stack frames, under the scrubbed message. */
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
}

const MAX_MESSAGE_CHARS = 300;
const MAX_FRAMES = 15;
const MAX_DEPTH = 3;

const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
const IDENTIFIER = /^["'`][A-Za-z_$][\w$.-]{0,40}["'`]$/;
const EMAIL = /[^\s@"'`<>()[\]]+@[^\s@"'`<>()[\]]+/g;
/** Seven or more digits, however grouped: card numbers, phone numbers, account numbers. */
const LONG_NUMBER = /\+?\d(?:[\s().-]{0,3}\d){6,}/g;
const CODE = /^[A-Za-z0-9_]{1,40}$/;
const NAME = /^[A-Za-z_][\w$.-]{0,62}$/;

interface ErrorFields {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  severity?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  details?: unknown;
  stack?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * A database driver's message quotes the offending value (`invalid input syntax for type
 * integer: "…"`), as does JSON.parse's; their quoted parts all go. Elsewhere identifiers in
 * quotes (`reading 'id'`) stay, since they help and are ours.
 */
function scrubMessage(message: string, quotesCarryData: boolean): string {
  const unquoted = message.replace(QUOTED, (quoted) => (!quotesCarryData && IDENTIFIER.test(quoted) ? quoted : '"[redacted]"'));
  const scrubbed = unquoted.replace(EMAIL, '[redacted email]').replace(LONG_NUMBER, '[redacted number]');
  return scrubbed.length > MAX_MESSAGE_CHARS ? `${scrubbed.slice(0, MAX_MESSAGE_CHARS)}…` : scrubbed;
}

function isDriverError(fields: ErrorFields): boolean {
  return (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) || typeof fields.severity === 'string';
}

function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return lines.length > 0 ? lines.slice(0, MAX_FRAMES).join('\n') : undefined;
}

function detailPaths(details: unknown): string[] | undefined {
  if (!Array.isArray(details) || details.length === 0) return undefined;
  return (details as unknown[]).slice(0, 10).map((d) => {
    const path = typeof d === 'object' && d !== null ? (d as { path?: unknown }).path : undefined;
    return typeof path === 'string' ? scrubMessage(path, true) : '(unknown)';
  });
}

function pick(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

function serialize(error: unknown, depth: number): SerializedError {
  if (typeof error === 'string') return { type: 'string', message: scrubMessage(error, true) };
  if (typeof error !== 'object' || error === null) return { type: typeof error, message: '' };
  const fields = error as ErrorFields;
  const type = pick(fields.name, NAME) ?? (error instanceof Error ? 'Error' : 'object');
  const quotesCarryData = isDriverError(fields) || error instanceof SyntaxError;
  const message = typeof fields.message === 'string' ? scrubMessage(fields.message, quotesCarryData) : '';
  const out: SerializedError = { type, message };
  const code = pick(fields.code, CODE);
  if (code !== undefined) out.code = code;
  const status = typeof fields.status === 'number' ? fields.status : fields.statusCode;
  if (typeof status === 'number') out.status = status;
  const constraint = pick(fields.constraint, NAME);
  if (constraint !== undefined) out.constraint = constraint;
  const table = pick(fields.table, NAME);
  if (table !== undefined) out.table = table;
  const column = pick(fields.column, NAME);
  if (column !== undefined) out.column = column;
  const details = detailPaths(fields.details);
  if (details !== undefined) out.details = details;
  // A coded error is an expected condition: where it was raised says little, its cause's stack more.
  const stackFrames = code?.startsWith('SB_ERR_') === true ? undefined : frames(fields.stack);
  if (stackFrames !== undefined) out.stack = `${type}: ${message}\n${stackFrames}`;
  if (depth < MAX_DEPTH && fields.cause !== undefined) out.cause = serialize(fields.cause, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(fields.errors) && fields.errors.length > 0) {
    out.errors = (fields.errors as unknown[]).slice(0, 3).map((e) => serialize(e, depth + 1));
  }
  return out;
}

/** The pino serializer for `err` (and `error`): name, code, status, scrubbed message, frames. */
export function serializeError(error: unknown): SerializedError {
  return serialize(error, 0);
}
