import { randomBytes } from 'node:crypto';
import type { LockStore } from '../../core/stores.js';
import { backendClosedError, lockTimeoutError, resolveLockOptions } from '../options.js';
import { call, type RedisConnection, type StateLog } from './connection.js';
import type { LockWakeups } from './lock-wakeups.js';
import { EXTEND_LOCK, RELEASE_LOCK, runScript } from './scripts.js';

const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;

/**
 * `SET NX PX` with a random token per hold; release and extend compare the token in Lua so
 * a holder whose lock expired can never free or prolong the next holder's.
 */
export class RedisLockStore implements LockStore {
  private readonly watchdogs = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
    private readonly releaseChannel: string,
    private readonly wakeups: LockWakeups,
    private readonly log: StateLog | undefined,
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T> {
    if (this.closed) throw backendClosedError('locks.withLock');
    const { ttlMs, waitMs } = resolveLockOptions(options);
    const lockKey = `${this.prefix}lock:${key}`;
    const token = randomBytes(16).toString('hex');
    await this.acquire(lockKey, token, ttlMs, waitMs);
    const watchdog = this.startWatchdog(lockKey, token, ttlMs);
    try {
      return await fn();
    } finally {
      clearInterval(watchdog);
      this.watchdogs.delete(watchdog);
      // If Redis is away the lock simply expires; the turn's own outcome is what the caller needs.
      await runScript(this.client, RELEASE_LOCK, [lockKey], [token, this.releaseChannel]).catch(() => undefined);
    }
  }

  /** Stops every watchdog without releasing: locks held by this server now expire by ttl. */
  abandon(): void {
    this.closed = true;
    for (const watchdog of this.watchdogs) clearInterval(watchdog);
    this.watchdogs.clear();
  }

  private async acquire(lockKey: string, token: string, ttlMs: number, waitMs: number): Promise<void> {
    const deadline = performance.now() + waitMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const wakeup = this.wakeups.arm(lockKey);
      try {
        const reply = await call('locks.withLock', () =>
          this.client.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
        );
        if (reply !== null) return;
        const left = deadline - performance.now();
        if (left <= 0) throw lockTimeoutError(waitMs);
        if (this.closed) throw backendClosedError('locks.withLock');
        // Jitter spreads contenders from several servers so they don't retry in lockstep.
        await wakeup.wait(Math.min(left, backoff / 2 + Math.random() * (backoff / 2)));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } finally {
        wakeup.disarm();
      }
    }
  }

  private startWatchdog(lockKey: string, token: string, ttlMs: number): NodeJS.Timeout {
    const watchdog = setInterval(() => {
      runScript(this.client, EXTEND_LOCK, [lockKey], [token, String(ttlMs)])
        .then((extended) => {
          if (extended !== 0) return;
          clearInterval(watchdog);
          this.watchdogs.delete(watchdog);
          this.log?.warn({ ttlMs }, 'a turn outlived its lock (Redis lost it); another server may now run the same conversation');
        })
        // Redis away: try again at the next tick; the lock is still valid until ttl.
        .catch(() => undefined);
    }, Math.max(1, Math.floor(ttlMs / 3))).unref();
    this.watchdogs.add(watchdog);
    return watchdog;
  }
}
