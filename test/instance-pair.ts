import { loadConfig } from '../core/config.js';
import { createLogger } from '../server/logger.js';
import { startService, type RunningService } from '../server/service.js';
import { startTestService, type Deployment, type TestService } from './service.js';

/** Two instances of one deployment, as behind a load balancer. */
export interface InstancePair {
  a: TestService;
  /** Another instance on A's database and Redis prefix; on the embedded deployment, A itself (PGlite is one process's). */
  b: RunningService;
  dispose(): Promise<void>;
}

export async function startInstancePair(deployment: Deployment, extraEnv: Record<string, string> = {}): Promise<InstancePair> {
  const a = await startTestService(deployment, extraEnv);
  if (deployment === 'embedded') return { a, b: a, dispose: () => a.dispose() };
  // Same env: same database, Redis prefix and DATA_DIR (so the same generated session secret).
  const b = await startService(loadConfig(a.env), { log: createLogger('silent') }).catch(async (error: unknown) => {
    await a.dispose();
    throw error;
  });
  return {
    a,
    b,
    dispose: async () => {
      await b.close();
      await a.dispose();
    },
  };
}
