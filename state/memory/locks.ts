import type { LockStore } from '../../core/stores.js';
import { backendClosedError, lockTimeoutError, resolveLockOptions } from '../options.js';
import type { Gate, Lease, LockWaiter, MemorySpace } from './space.js';

/**
 * FIFO per-key locks for one process. A lease never expires while its holder's backend is
 * open — in one process a running `fn` is proof the holder is alive, so the watchdog is
 * implicit. When the holder's backend closes (the server "dies") the lease expires `ttlMs`
 * later, as a Redis lock would.
 */
export class MemoryLockStore implements LockStore {
  private readonly held = new Map<string, { lease: Lease; token: number }>();
  private readonly waiting = new Set<LockWaiter>();

  constructor(
    private readonly space: MemorySpace,
    private readonly gate: Gate,
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T> {
    this.gate.assertOpen('locks.withLock');
    const { ttlMs, waitMs } = resolveLockOptions(options);
    const token = await this.acquire(key, ttlMs, waitMs);
    try {
      return await fn();
    } finally {
      this.release(key, token);
    }
  }

  /** The server this store belongs to went away: its queued calls fail, its leases start to expire. */
  abandon(): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.fail(backendClosedError('locks.withLock'));
      for (const lease of this.space.locks.values()) {
        const at = lease.queue.indexOf(waiter);
        if (at >= 0) lease.queue.splice(at, 1);
      }
    }
    this.waiting.clear();
    for (const [key, { lease, token }] of this.held) {
      lease.expiry = setTimeout(() => {
        if (lease.token === token) this.handOver(key, lease);
      }, lease.ttlMs).unref();
    }
    this.held.clear();
  }

  private acquire(key: string, ttlMs: number, waitMs: number): Promise<number> {
    const lease = this.space.locks.get(key);
    if (lease === undefined) {
      const token = this.space.token();
      const fresh: Lease = { token, owner: this, ttlMs, queue: [], expiry: undefined };
      this.space.locks.set(key, fresh);
      this.held.set(key, { lease: fresh, token });
      return Promise.resolve(token);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: LockWaiter = {
        owner: this,
        ttlMs,
        grant: (token) => {
          this.waiting.delete(waiter);
          this.held.set(key, { lease, token });
          resolve(token);
        },
        fail: reject,
        timer: setTimeout(() => {
          const at = lease.queue.indexOf(waiter);
          if (at >= 0) lease.queue.splice(at, 1);
          this.waiting.delete(waiter);
          reject(lockTimeoutError(waitMs));
        }, waitMs).unref(),
      };
      lease.queue.push(waiter);
      this.waiting.add(waiter);
    });
  }

  private release(key: string, token: number): void {
    const lease = this.space.locks.get(key);
    if (lease === undefined || lease.token !== token) return; // expired and handed on already
    this.held.delete(key);
    this.handOver(key, lease);
  }

  /** Gives the lease to the longest waiter, or frees the key. */
  private handOver(key: string, lease: Lease): void {
    if (lease.expiry !== undefined) clearTimeout(lease.expiry);
    lease.expiry = undefined;
    const next = lease.queue.shift();
    if (next === undefined) {
      this.space.locks.delete(key);
      return;
    }
    clearTimeout(next.timer);
    lease.token = this.space.token();
    lease.owner = next.owner;
    lease.ttlMs = next.ttlMs;
    next.grant(lease.token);
  }
}
