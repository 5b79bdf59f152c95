import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../server/logger.js';
import { startService, type RunningService } from '../server/service.js';
import { createPostgresTestDatabase } from './databases.js';
import { baseTestEnv, copyEmbeddedTemplate, postgresTemplate } from './service-templates.js';
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
 * or against the real Redis and a fresh Postgres database. Both start from a copy of the run's
 * first start (test/service-templates.ts) unless the environment would make a different one.
 */
export async function startTestService(
  deployment: Deployment,
  extraEnv: Record<string, string> = {},
  options: { now?: () => Date; twilioApiOrigin?: string; metaApiOrigin?: string; launchWhatsAppWeb?: boolean } = {},
): Promise<TestService> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-test-'));
  const env = baseTestEnv(dataDir);
  let dropDatabase = async (): Promise<void> => undefined;
  if (deployment === 'redis+postgres') {
    const template = await postgresTemplate(dataDir, extraEnv);
    const created = await createPostgresTestDatabase(template !== null ? { template } : {});
    env.DATABASE_URL = created.url;
    env.REDIS_URL = TEST_REDIS_URL;
    env.REDIS_KEY_PREFIX = `sbtest:${randomBytes(6).toString('hex')}:`;
    dropDatabase = created.drop;
  } else {
    await copyEmbeddedTemplate(dataDir, extraEnv);
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
