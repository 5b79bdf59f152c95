import type { StateBackend } from '../core/stores.js';
import { createMemoryBackend } from './memory/index.js';
import { createRedisBackend, type StateLog } from './redis/index.js';

export { createMemoryBackend, MemorySpace, type MemoryBackendOptions } from './memory/index.js';
export { createRedisBackend, redactRedisUrl, type RedisBackendOptions, type StateLog } from './redis/index.js';
export { DEFAULT_LOCK_TTL_MS, DEFAULT_LOCK_WAIT_MS } from './options.js';

/**
 * Redis when `REDIS_URL` is set, in-process otherwise. A set but unreachable Redis fails
 * start-up: silently falling back to memory would split state between servers.
 */
export async function createStateBackend(
  config: { REDIS_URL?: string | undefined; REDIS_KEY_PREFIX: string },
  options: { log?: StateLog } = {},
): Promise<StateBackend> {
  if (config.REDIS_URL === undefined || config.REDIS_URL === '') return createMemoryBackend();
  return createRedisBackend({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, ...(options.log !== undefined ? { log: options.log } : {}) });
}
