import type { CounterStore, IdempotencyStore, SnapshotStore, VersionedValue } from '../../core/stores.js';
import { wholeMs } from '../options.js';
import { call, type RedisConnection } from './connection.js';
import { HIT_COUNTER, runScript, SET_SNAPSHOT } from './scripts.js';

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
  ) {}

  /** One `SET NX PX`: a GET-then-SET here raced under concurrent provider retries (Chatwoot #13523). */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    const ttl = wholeMs(ttlMs, 'idempotency.claim.ttlMs');
    const reply = await call('idempotency.claim', () =>
      this.client.set(`${this.prefix}seen:${key}`, '1', { condition: 'NX', expiration: { type: 'PX', value: ttl } }),
    );
    return reply !== null;
  }

  async release(key: string): Promise<void> {
    await call('idempotency.release', () => this.client.del(`${this.prefix}seen:${key}`));
  }
}

export class RedisSnapshotStore implements SnapshotStore {
  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<VersionedValue | null> {
    const [version, value] = await call('snapshots.get', () => this.client.hmGet(`${this.prefix}snap:${key}`, ['v', 'd']));
    if (version === null || version === undefined || value === null || value === undefined) return null;
    return { version: Number(version), value: String(value) };
  }

  async set(key: string, value: string, expectedVersion: number, ttlMs: number): Promise<number | null> {
    const ttl = wholeMs(ttlMs, 'snapshots.set.ttlMs');
    const reply = await call('snapshots.set', () =>
      runScript(this.client, SET_SNAPSHOT, [`${this.prefix}snap:${key}`], [String(expectedVersion), value, String(ttl)]),
    );
    const version = Number(reply);
    return version < 0 ? null : version;
  }

  async delete(key: string): Promise<void> {
    await call('snapshots.delete', () => this.client.del(`${this.prefix}snap:${key}`));
  }
}

export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<number> {
    const window = wholeMs(windowMs, 'counters.hit.windowMs');
    const reply = await call('counters.hit', () => runScript(this.client, HIT_COUNTER, [`${this.prefix}count:${key}`], [String(window)]));
    return Number(reply);
  }

  async peek(key: string): Promise<number> {
    const reply = await call('counters.peek', () => this.client.get(`${this.prefix}count:${key}`));
    return reply === null ? 0 : Number(reply);
  }

  async reset(key: string): Promise<void> {
    await call('counters.reset', () => this.client.del(`${this.prefix}count:${key}`));
  }
}
