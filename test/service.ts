import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../server/logger.js';
import { startService, type RunningService } from '../server/service.js';
import { createPostgresTestDatabase } from './databases.js';
import { TEST_REDIS_URL } from './services.js';

/** The two deployments every end-to-end suite runs against. */
export const DEPLOYMENTS = ['embedded', 'redis+postgres'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export interface TestService extends RunningService {
  env: Record<string, string>;
  /** Removes the service's data (database, data directory). */
  removeData(): Promise<void>;
  /** Stops the service and removes its data. */
  dispose(): Promise<void>;
}

/**
 * Starts the whole service on port 0: embedded (PGlite in a temp DATA_DIR, in-process state)
 * or against the real Redis and a fresh Postgres database.
 */
export async function startTestService(
  deployment: Deployment,
  extraEnv: Record<string, string> = {},
  options: { now?: () => Date; twilioApiOrigin?: string } = {},
): Promise<TestService> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-test-'));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // Every suite talks from 127.0.0.1; the per-address budget has its own tests at real values.
    WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '100000',
    // Suites verify their customers many times from 127.0.0.1 within minutes, beyond the per-IP
    // and per-customer verification budgets; the verification limit tests set them explicitly.
    OTP_MAX_ATTEMPTS_PER_IP: '1000',
    OTP_SENDS_PER_HOUR: '100',
  };
  let dropDatabase = async (): Promise<void> => undefined;
  if (deployment === 'redis+postgres') {
    const created = await createPostgresTestDatabase();
    env.DATABASE_URL = created.url;
    env.REDIS_URL = TEST_REDIS_URL;
    env.REDIS_KEY_PREFIX = `sbtest:${randomBytes(6).toString('hex')}:`;
    dropDatabase = created.drop;
  }
  Object.assign(env, extraEnv);
  const removeData = async (): Promise<void> => {
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
  };
  const service = await startService(loadConfig(env), { log: createLogger('silent'), ...options });
  return withDisposal(service, env, removeData);
}

function withDisposal(service: RunningService, env: Record<string, string>, removeData: () => Promise<void>): TestService {
  return {
    ...service,
    env,
    removeData,
    dispose: async () => {
      await service.close();
      await removeData();
    },
  };
}

/** Restarts a service on the same data (same DATA_DIR / database / Redis prefix). */
export async function restartTestService(previous: TestService, options: { now?: () => Date } = {}): Promise<TestService> {
  await previous.close();
  const service = await startService(loadConfig(previous.env), { log: createLogger('silent'), ...options });
  return withDisposal(service, previous.env, previous.removeData);
}
