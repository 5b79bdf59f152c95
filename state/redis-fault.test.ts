import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isSwitchboardError, SwitchboardError } from '../core/errors.js';
import type { StateBackend } from '../core/stores.js';
import { hold, until } from './contract.js';
import { createRedisBackend } from './index.js';
import { DisposableRedis, freePort } from './test-fixtures/redis-server.js';

async function failure(promise: Promise<unknown>): Promise<SwitchboardError> {
  const outcome = await promise.then(
    () => new Error('resolved, but Redis is down'),
    (caught: unknown) => caught,
  );
  if (!isSwitchboardError(outcome)) throw outcome;
  return outcome;
}

test('start-up against an unreachable Redis fails with SB_ERR_UNAVAILABLE naming REDIS_URL, never the password', async () => {
  const url = `redis://:hunter2-secret@127.0.0.1:${await freePort()}`;
  const error = await failure(createRedisBackend({ url, keyPrefix: 'sb-fault:', connectTimeoutMs: 300 }));
  expect(error.code).toBe('SB_ERR_UNAVAILABLE');
  expect(error.message).toContain('REDIS_URL');
  expect(`${error.message} ${JSON.stringify(error.toJSON())}`).not.toContain('hunter2-secret');
});

describe('when Redis is killed and comes back', () => {
  let redis: DisposableRedis;
  let state: StateBackend;

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    state = await createRedisBackend({ url: redis.url, keyPrefix: 'sb-fault:' });
  });

  afterAll(async () => {
    await state?.close();
    await redis?.kill();
  });

  test('calls fail with SB_ERR_UNAVAILABLE instead of hanging while Redis is down, and work again by themselves once it is back', async () => {
    const received: string[] = [];
    await state.pubsub.subscribe('socket-1', (message) => received.push(message));
    expect(await state.idempotency.claim('SM-before', 60_000)).toBe(true);
    const holding = hold(state, 'conv-held');
    await holding.entered;
    // Observed from the start: the waiter fails while Redis is being killed, before we look.
    const waiterFailure = failure(state.locks.withLock('conv-held', async () => 'ran', { waitMs: 20_000 }));
    const closingDuringOutage = await createRedisBackend({ url: redis.url, keyPrefix: 'sb-fault:' });

    await redis.kill();

    // The waiter gives up because Redis is gone, not because its 20 s wait ran out.
    expect((await waiterFailure).code).toBe('SB_ERR_UNAVAILABLE');
    const calls: Array<() => Promise<unknown>> = [
      () => state.ping(),
      () => state.idempotency.claim('SM-during', 60_000),
      () => state.idempotency.release('SM-during'),
      () => state.snapshots.get('conv-1'),
      () => state.snapshots.set('conv-1', '{}', 0, 60_000),
      () => state.counters.hit('ip-1', 60_000),
      () => state.counters.peek('ip-1'),
      () => state.pubsub.publish('socket-1', 'lost'),
      () => state.locks.withLock('conv-2', async () => 'ran'),
    ];
    for (const call of calls) {
      const error = await failure(call());
      expect(error.code).toBe('SB_ERR_UNAVAILABLE');
      expect(error.details[0]?.path).toMatch(/^(ping|idempotency|snapshots|counters|pubsub|locks)\b/);
    }
    await expect(closingDuringOutage.close()).resolves.toBeUndefined();
    // A turn that was already running finishes with its own result though Redis went away.
    holding.let();
    await holding.done;

    await redis.restart();
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await state.ping();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
    // This Redis kept nothing (no persistence), so the earlier claim is gone as well.
    expect(await state.idempotency.claim('SM-after', 60_000)).toBe(true);
    expect(await state.snapshots.set('conv-1', '{"step":2}', 0, 60_000)).toBe(1);
    await expect(state.locks.withLock('conv-held', async () => 'ran', { waitMs: 1_000 })).resolves.toBe('ran');
    await state.pubsub.publish('socket-1', 'after restart');
    await until(() => received.length > 0);
    expect(received).toEqual(['after restart']);
  });
});
