import { Router } from 'express';
import type { CapacityStatus } from './accept-capacity.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Whether the process can take new connections (server/accept-capacity.ts). */
export interface CapacityCheck {
  check(): Promise<CapacityStatus>;
}

/**
 * `/healthz`: the process is up and can accept connections. `/readyz`: that, and the database
 * and state store answer. A process out of file descriptors is alive but turns every client
 * away, so both fail (503) until descriptors come back; a restart is the right remedy.
 */
export function healthRouter(checks: ReadinessCheck[], isShuttingDown: () => boolean, capacity: CapacityCheck): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const accepting = await capacity.check();
    if (accepting.ok) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'unavailable', problem: accepting.problem });
  });
  router.get('/readyz', async (_req, res) => {
    const [accepting, results] = await Promise.all([
      capacity.check(),
      Promise.all(
        checks.map(async (c) => {
          try {
            await withTimeout(c.check(), 2000);
            return [c.name, 'ok'] as const;
          } catch {
            return [c.name, 'unavailable'] as const;
          }
        }),
      ),
    ]);
    const all = [...results, ['connections', accepting.ok ? 'ok' : 'unavailable'] as const];
    const ready = !isShuttingDown() && all.every(([, s]) => s === 'ok');
    // Load balancers and orchestrators back off on it like any other 503.
    if (!ready) res.set('Retry-After', '2');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(all), shuttingDown: isShuttingDown() });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
