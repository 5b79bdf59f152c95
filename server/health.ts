import { Router } from 'express';
import { z } from 'zod';
import { apiDocs } from '../core/api-doc.js';
import type { CapacityStatus } from './accept-capacity.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Whether the process can take new connections (server/accept-capacity.ts). */
export interface CapacityCheck {
  check(): Promise<CapacityStatus>;
}

export const LivenessSchema = z.union([
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('unavailable'), problem: z.string().meta({ description: 'Why no connection can be accepted (out of file descriptors).' }) }),
]);
export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  /** Each dependency (database, state store, connections) and whether it answered. */
  checks: z.record(z.string(), z.enum(['ok', 'unavailable'])),
  shuttingDown: z.boolean(),
});

export const healthApiDocs = apiDocs('', 'Operations', [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process is up and can accept connections.',
    responses: { 200: { description: 'Alive.', json: LivenessSchema }, 503: { description: 'Out of file descriptors: alive but turning clients away.', json: LivenessSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database and state store answer, connections are accepted, not shutting down.',
    responses: {
      200: { description: 'Ready.', json: ReadinessSchema },
      503: { description: 'Not ready; `checks` says which dependency failed.', json: ReadinessSchema, headers: { 'Retry-After': 'Seconds to wait.' } },
    },
  },
]);

/**
 * `/healthz`: the process is up and can accept connections. `/readyz`: that, and the database
 * and state store answer. A process out of file descriptors is alive but turns every client
 * away, so both fail (503) until descriptors come back; a restart is the right remedy.
 */
export function healthRouter(checks: ReadinessCheck[], isShuttingDown: () => boolean, capacity: CapacityCheck): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const accepting = await capacity.check();
    if (accepting.ok) res.json({ status: 'ok' } satisfies z.infer<typeof LivenessSchema>);
    else res.status(503).json({ status: 'unavailable', problem: accepting.problem } satisfies z.infer<typeof LivenessSchema>);
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
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(all), shuttingDown: isShuttingDown() } satisfies z.infer<typeof ReadinessSchema>);
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
