import { randomBytes } from 'node:crypto';
import type { LockStore } from '../../core/stores.js';
import { backendClosedError, lockTimeoutError, resolveLockOptions } from '../options.js';
import { call, toStateError, type RedisConnection, type StateLog } from './connection.js';
import type { LockWakeups } from './lock-wakeups.js';
import { EXTEND_LOCK, RELEASE_LOCK, runScript } from './scripts.js';

const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;

/**
 * `SET NX PX` with a random token per hold; release and extend compare the token in Lua so
 * a holder whose lock expired can never free or prolong the next holder's.
 *
 * Callers in this process queue FIFO per key first and only the head contends in Redis:
 * messages of one conversation reaching one server keep their order, and a burst costs
 * Redis one contender per server instead of one per message (measured: 50 local contenders
 * polling Redis starved some for seconds).
 */
export class RedisLockStore implements LockStore {
  private readonly localTails = new Map<string, Promise<void>>();
  private readonly watchdogs = new Set<NodeJS.Timeout>();
  // Callers queued behind a local holder never talk to Redis; they learn of an outage here.
  private readonly outageListeners = new Set<(error: unknown) => void>();
  private closed = false;

  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
    private readonly releaseChannel: string,
    private readonly wakeups: LockWakeups,
    private readonly log: StateLog | undefined,
  ) {
    client.on('error', (error: unknown) => {
      for (const listener of this.outageListeners) listener(error);
    });
  }

  async withLock<T>(key: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T> {
    if (this.closed) throw backendClosedError('locks.withLock');
    const { ttlMs, waitMs } = resolveLockOptions(options);
    const lockKey = `${this.prefix}lock:${key}`;
    const deadline = performance.now() + waitMs;
    const ahead = this.localTails.get(lockKey) ?? Promise.resolve();
    let leave: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (leave = resolve));
    // Whoever queues after us waits for everyone ahead of us too, even if we time out.
    const tail = ahead.then(() => mine);
    this.localTails.set(lockKey, tail);
    try {
      await this.waitForTurn(ahead, deadline, waitMs);
      const token = randomBytes(16).toString('hex');
      await this.acquire(lockKey, token, ttlMs, deadline, waitMs);
      const watchdog = this.startWatchdog(lockKey, token, ttlMs);
      try {
        return await fn();
      } finally {
        clearInterval(watchdog);
        this.watchdogs.delete(watchdog);
        // If Redis is away the lock simply expires; the turn's own outcome is what the caller needs.
        await runScript(this.client, RELEASE_LOCK, [lockKey], [token, this.releaseChannel]).catch(() => undefined);
      }
    } finally {
      leave();
      if (this.localTails.get(lockKey) === tail) this.localTails.delete(lockKey);
    }
  }

  /** Stops every watchdog without releasing: locks held by this server now expire by ttl. */
  abandon(): void {
    this.closed = true;
    for (const watchdog of this.watchdogs) clearInterval(watchdog);
    this.watchdogs.clear();
  }

  private async waitForTurn(ahead: Promise<void>, deadline: number, waitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onOutage: (error: unknown) => void = () => undefined;
    const interrupted = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(lockTimeoutError(waitMs)), Math.max(0, deadline - performance.now())).unref();
      onOutage = (error) => reject(toStateError('locks.withLock', error));
      this.outageListeners.add(onOutage);
    });
    // An outage can reject this after the race was already won by `ahead`; that late rejection
    // must not surface as an unhandled rejection (which would end the process).
    interrupted.catch(() => undefined);
    try {
      await Promise.race([ahead, interrupted]);
    } finally {
      clearTimeout(timer);
      this.outageListeners.delete(onOutage);
    }
  }

  private async acquire(lockKey: string, token: string, ttlMs: number, deadline: number, waitMs: number): Promise<void> {
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
