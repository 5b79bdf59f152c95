import { SwitchboardError } from '../core/errors.js';

/** A turn is short; 30 s outlives any healthy one, and a dead holder frees the conversation within it. */
export const DEFAULT_LOCK_TTL_MS = 30_000;
/** Under every channel's webhook deadline (Twilio and Bot Framework give 15 s). */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

export interface ResolvedLockOptions {
  ttlMs: number;
  waitMs: number;
}

export function resolveLockOptions(options: { ttlMs?: number; waitMs?: number } | undefined): ResolvedLockOptions {
  const ttlMs = options?.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const waitMs = options?.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'Lock ttlMs must be a positive number', [{ path: 'withLock.options.ttlMs', message: `got ${ttlMs}` }]);
  }
  if (!Number.isFinite(waitMs) || waitMs < 0) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'Lock waitMs must be zero or more', [{ path: 'withLock.options.waitMs', message: `got ${waitMs}` }]);
  }
  return { ttlMs: Math.ceil(ttlMs), waitMs };
}

/** The key is left out on purpose: callers build lock keys from conversation or contact ids. */
export function lockTimeoutError(waitMs: number): SwitchboardError {
  return new SwitchboardError('SB_ERR_LOCK_TIMEOUT', undefined, [
    { path: 'locks.withLock', message: `the lock was still held by another turn after ${waitMs} ms` },
  ]);
}

export function backendClosedError(operation: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_UNAVAILABLE', 'The state backend is closed', [{ path: operation, message: 'called after close()' }]);
}

/** Redis PX/PEXPIRE take whole milliseconds >= 1. */
export function wholeMs(ttlMs: number, path: string): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'A time-to-live must be a positive number of milliseconds', [{ path, message: `got ${ttlMs}` }]);
  }
  return Math.max(1, Math.ceil(ttlMs));
}
