import { TEST_REDIS_URL } from './services.js';

/**
 * The environment of instances that share one Postgres database and one Redis key prefix, as
 * several replicas behind a load balancer do: same secret, same data, own ports.
 */
export function sharedInstanceEnv(prefix: string, databaseUrl: string, extra: Record<string, string> = {}, redisUrl = TEST_REDIS_URL): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DATA_DIR: `/tmp/sb-instances-${prefix}`,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `sbtest:${prefix}:`,
    SESSION_SECRET: `shared-secret-${prefix}-0123456789abcdef`,
    ...extra,
  };
}
