import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { SwitchboardError } from '../../core/errors.js';
import { bearerToken } from '../../channels/webchat/session.js';

export const METRICS_PATH = '/metrics';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus text format. With METRICS_TOKEN set, only a scraper sending it as a
 * bearer token is answered (compared in constant time); unset, the route is open and should be
 * kept off the public side of the proxy.
 */
export function metricsRouter(deps: { registry: Registry; token: string | undefined; refresh: () => Promise<void> }): Router {
  const expected = deps.token === undefined ? null : digest(deps.token);
  const router = Router();
  router.get(METRICS_PATH, async (req, res) => {
    if (expected !== null) {
      const given = bearerToken(req.get('authorization'));
      if (given === undefined) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
      if (!timingSafeEqual(digest(given), expected)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'The metrics token is not valid');
    }
    await deps.refresh();
    res.set('Content-Type', deps.registry.contentType);
    res.set('Cache-Control', 'no-store');
    res.send(await deps.registry.metrics());
  });
  return router;
}
