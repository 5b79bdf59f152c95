import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { apiDocs } from '../../core/api-doc.js';
import { SwitchboardError } from '../../core/errors.js';
import { bearerToken } from '../../channels/webchat/session.js';

export const METRICS_PATH = '/metrics';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export const metricsDocs = apiDocs('', 'Operations', [
  {
    method: 'get',
    path: METRICS_PATH,
    summary: 'Prometheus metrics (text exposition format); see docs/production.md#metrics.',
    description: 'With METRICS_TOKEN set, send it as `Authorization: Bearer <METRICS_TOKEN>`; unset, the route answers everyone.',
    security: 'metricsToken',
    responses: { 200: { description: 'Metrics.', content: { 'text/plain': z.string() } }, 401: 'No token sent.', 403: 'Not the metrics token.' },
  },
]);

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
