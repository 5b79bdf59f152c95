import { isSwitchboardError } from '../core/errors.js';
import { classifyDatabaseError } from '../db/errors.js';

/**
 * What pg-boss stores as a failed job's output, and operators see in the dead-letter list: a
 * reason code, no message text and no stack (a driver's message quotes the row it refused).
 */
export class JobFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JobFailure';
    this.stack = undefined;
  }
}

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,40}$/;

/** A code for why a handler threw: the SB_ERR_* code, the database fault, or the error's class name. */
export function jobFailureReason(error: unknown): string {
  if (error instanceof JobFailure) return error.reason;
  if (isSwitchboardError(error)) return error.code;
  const fault = classifyDatabaseError(error);
  if (fault !== null) return `database_${fault.kind}`;
  if (error instanceof Error && SAFE_NAME.test(error.name) && error.name !== 'Error') return error.name;
  return 'error';
}
