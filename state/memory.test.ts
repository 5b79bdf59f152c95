import { describe, expect, test } from 'vitest';
import { isSwitchboardError } from '../core/errors.js';
import { describeStateBackendContract, hold } from './contract.js';
import { createMemoryBackend, createStateBackend, MemorySpace } from './index.js';

const space = new MemorySpace();
describeStateBackendContract('in-process', async () => createMemoryBackend({ space }));

describe('in-process state backend', () => {
  test('close fails queued waiters and every later call with SB_ERR_UNAVAILABLE', async () => {
    const state = createMemoryBackend();
    const holding = hold(state, 'conv');
    await holding.entered;
    const queued = state.locks.withLock('conv', async () => 'ran').catch((caught: unknown) => caught);
    await state.close();
    const error = await queued;
    expect(isSwitchboardError(error) && error.code).toBe('SB_ERR_UNAVAILABLE');
    for (const call of [() => state.idempotency.claim('SM1', 1000), () => state.counters.hit('x', 1000), () => state.ping()]) {
      const failure = await call().catch((caught: unknown) => caught);
      expect(isSwitchboardError(failure) && failure.code).toBe('SB_ERR_UNAVAILABLE');
    }
    holding.let();
  });

  test('without REDIS_URL the service keeps its state in this process', async () => {
    const state = await createStateBackend({ REDIS_KEY_PREFIX: 'sb:' });
    expect(state.kind).toBe('memory');
    await state.close();
  });
});
