import { backendClosedError } from '../options.js';

/** Someone waiting for a lock, in arrival order. */
export interface LockWaiter {
  readonly owner: object;
  readonly ttlMs: number;
  grant(token: number): void;
  fail(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The current hold of one key; `token` changes at every hand-over so a stale release is a no-op. */
export interface Lease {
  token: number;
  owner: object;
  ttlMs: number;
  readonly queue: LockWaiter[];
  expiry: NodeJS.Timeout | undefined;
}

export interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export interface Subscription {
  readonly owner: object;
  readonly handler: (message: string) => void;
}

const SWEEP_INTERVAL_MS = 30_000;

/** One backend's view of "open": its own close() and its space's both shut it. */
export class Gate {
  private closed = false;

  constructor(private readonly space: MemorySpace) {}

  close(): void {
    this.closed = true;
  }

  assertOpen(operation: string): void {
    if (this.closed || this.space.isClosed) throw backendClosedError(operation);
  }
}

/**
 * The state one server keeps in memory. Backends are handles onto a space: the default
 * backend owns a private one, and several handles can share one to stand in for several
 * servers (tests) — closing a handle then looks like that server dying.
 */
export class MemorySpace {
  readonly locks = new Map<string, Lease>();
  readonly claims = new Map<string, Expiring<true>>();
  readonly snapshots = new Map<string, Expiring<{ version: number; value: string }>>();
  readonly counters = new Map<string, Expiring<number>>();
  readonly topics = new Map<string, Set<Subscription>>();
  private nextToken = 1;
  private closed = false;
  // Expired entries are ignored on read; the sweep only gives their memory back.
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  token(): number {
    return this.nextToken++;
  }

  now(): number {
    return performance.now();
  }

  live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Drops every entry, fails every waiter and stops every timer. */
  clear(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const lease of this.locks.values()) {
      if (lease.expiry !== undefined) clearTimeout(lease.expiry);
      for (const waiter of lease.queue.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.fail(backendClosedError('locks.withLock'));
      }
    }
    this.locks.clear();
    this.claims.clear();
    this.snapshots.clear();
    this.counters.clear();
    this.topics.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const map of [this.claims, this.snapshots, this.counters] as Array<Map<string, Expiring<unknown>>>) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }
}
