/**
 * The small interfaces behind which shared, short-lived state lives. Each has an
 * in-process implementation (one server, the default) and a Redis one (several
 * servers sharing `REDIS_URL`); one contract test suite runs against both.
 */

/** Per-key mutual exclusion across every server sharing the backend. */
export interface LockStore {
  /**
   * Runs `fn` while holding the lock on `key`. Waits up to `waitMs` for it, else throws
   * SwitchboardError SB_ERR_LOCK_TIMEOUT. The lock expires after `ttlMs` if its holder
   * dies, and is kept alive while `fn` runs.
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T>;
}

/** Remembers which provider message ids were already taken, so retries are processed once. */
export interface IdempotencyStore {
  /** True for the first caller of `key` within `ttlMs`; false for every later one. Atomic. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so a retry of a message whose processing failed is processed again. */
  release(key: string): Promise<void>;
}

/** A versioned value: writes succeed only against the version they read (optimistic concurrency). */
export interface VersionedValue {
  version: number;
  value: string;
}

/** Key/value cache for derived conversation state, with compare-and-set writes. */
export interface SnapshotStore {
  get(key: string): Promise<VersionedValue | null>;
  /**
   * Writes `value` if the stored version equals `expectedVersion` (0 = must not exist).
   * Returns the new version, or null when someone else wrote first.
   */
  set(key: string, value: string, expectedVersion: number, ttlMs: number): Promise<number | null>;
  delete(key: string): Promise<void>;
}

/** Fixed-window counters for throttling (verification attempts, message floods). */
export interface CounterStore {
  /** Adds one to `key` and returns the new count; the window starts at the first hit. Atomic. */
  hit(key: string, windowMs: number): Promise<number>;
  /** The current count (0 when the window expired). */
  peek(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/** Fan-out of events to every server (a reply for a socket held by another instance). */
export interface PubSub {
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, handler: (message: string) => void): Promise<Unsubscribe>;
}

/** Everything the service keeps in the state backend. */
export interface StateBackend {
  readonly kind: 'memory' | 'redis';
  readonly locks: LockStore;
  readonly idempotency: IdempotencyStore;
  readonly snapshots: SnapshotStore;
  readonly counters: CounterStore;
  readonly pubsub: PubSub;
  /** Resolves when the backend answers; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
