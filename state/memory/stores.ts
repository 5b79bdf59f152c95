import type { CounterStore, IdempotencyStore, SnapshotStore, VersionedValue } from '../../core/stores.js';
import { wholeMs } from '../options.js';
import type { Gate, MemorySpace } from './space.js';

// Each method below runs without an await between its read and its write, which is what
// makes it atomic among concurrent async callers in one process.

export class MemoryIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly space: MemorySpace,
    private readonly gate: Gate,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    this.gate.assertOpen('idempotency.claim');
    const ttl = wholeMs(ttlMs, 'idempotency.claim.ttlMs');
    if (this.space.live(this.space.claims, key) !== undefined) return false;
    this.space.claims.set(key, { value: true, expiresAt: this.space.now() + ttl });
    return true;
  }

  async release(key: string): Promise<void> {
    this.gate.assertOpen('idempotency.release');
    this.space.claims.delete(key);
  }
}

export class MemorySnapshotStore implements SnapshotStore {
  constructor(
    private readonly space: MemorySpace,
    private readonly gate: Gate,
  ) {}

  async get(key: string): Promise<VersionedValue | null> {
    this.gate.assertOpen('snapshots.get');
    const entry = this.space.live(this.space.snapshots, key);
    return entry === undefined ? null : { version: entry.value.version, value: entry.value.value };
  }

  async set(key: string, value: string, expectedVersion: number, ttlMs: number): Promise<number | null> {
    this.gate.assertOpen('snapshots.set');
    const ttl = wholeMs(ttlMs, 'snapshots.set.ttlMs');
    const current = this.space.live(this.space.snapshots, key)?.value.version ?? 0;
    if (current !== expectedVersion) return null;
    const version = current + 1;
    this.space.snapshots.set(key, { value: { version, value }, expiresAt: this.space.now() + ttl });
    return version;
  }

  async delete(key: string): Promise<void> {
    this.gate.assertOpen('snapshots.delete');
    this.space.snapshots.delete(key);
  }
}

export class MemoryCounterStore implements CounterStore {
  constructor(
    private readonly space: MemorySpace,
    private readonly gate: Gate,
  ) {}

  async hit(key: string, windowMs: number): Promise<number> {
    this.gate.assertOpen('counters.hit');
    const window = wholeMs(windowMs, 'counters.hit.windowMs');
    const entry = this.space.live(this.space.counters, key);
    if (entry === undefined) {
      this.space.counters.set(key, { value: 1, expiresAt: this.space.now() + window });
      return 1;
    }
    entry.value += 1;
    return entry.value;
  }

  async peek(key: string): Promise<number> {
    this.gate.assertOpen('counters.peek');
    return this.space.live(this.space.counters, key)?.value ?? 0;
  }

  async reset(key: string): Promise<void> {
    this.gate.assertOpen('counters.reset');
    this.space.counters.delete(key);
  }
}
