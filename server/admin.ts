import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { apiDocs } from '../core/api-doc.js';
import { SwitchboardError } from '../core/errors.js';
import { bearerToken } from '../channels/webchat/session.js';
import type { Database } from '../db/schema.js';
import { importShop } from '../db/shop/import.js';
import { ShopImportSchema } from '../db/shop/import-schema.js';
import { ImportSummarySchema } from '../db/shop/write.js';
import { DeadJobSchema, type DeadLetters } from '../jobs/dead-letters.js';
import type { ProactiveUpdates } from '../jobs/proactive-updates.js';
import { Incidents } from '../db/incidents.js';
import { incidentRouteDocs, incidentRouter } from './incident-routes.js';
import { jsonBody } from './text-guard.js';

/** Import files can be large; everything else in the API is small. */
const IMPORT_BODY_LIMIT = '50mb';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Bearer-token guard for /admin: constant-time compare; off entirely when no token is configured. */
export function requireAdmin(adminToken: string | null): RequestHandler {
  const expected = adminToken === null ? null : digest(adminToken);
  return (req, _res, next) => {
    if (expected === null) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'The admin API is disabled: set ADMIN_TOKEN to enable it');
    const given = bearerToken(req.get('authorization'));
    if (given === undefined) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    if (!timingSafeEqual(digest(given), expected)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'The admin token is not valid');
    next();
  };
}

const DeadJobsLimitSchema = z.coerce.number().int().min(1).max(500).default(100);
export const ShopImportResultSchema = z.object({ imported: z.literal(true), summary: ImportSummarySchema });

export const adminApiDocs = apiDocs('/admin', 'Admin', [
  {
    method: 'get',
    path: '/jobs/dead',
    summary: 'Jobs whose retries are spent (dead-letter queues), newest first.',
    description: 'Payloads carry ids only; `reason` is a code, never the error\'s text. See docs/architecture.md.',
    security: 'adminToken',
    query: z.object({ limit: DeadJobsLimitSchema }),
    responses: {
      200: { description: 'Dead-lettered jobs.', json: z.object({ deadJobs: z.array(DeadJobSchema) }) },
      400: '`limit` is not a whole number from 1 to 500.',
      401: 'No admin token.',
      403: 'Not the admin token, or ADMIN_TOKEN unset.',
    },
  },
  {
    method: 'post',
    path: '/shop/import',
    summary: 'Import customers, products, orders and devices (all or nothing).',
    description: 'The body follows docs/schemas/shop-import.schema.json. Upserts by id; importing the same file twice changes nothing.',
    security: 'adminToken',
    body: ShopImportSchema,
    responses: {
      200: { description: 'Imported; counts per collection.', json: ShopImportResultSchema },
      401: 'No admin token.',
      403: 'Not the admin token, or ADMIN_TOKEN unset.',
      422: 'The file is invalid (SB_ERR_IMPORT; details name the record and field). Nothing imported.',
    },
  },
  ...incidentRouteDocs,
]);

export function adminRouter(deps: { db: Kysely<Database>; adminToken: string | null; deadJobs: Pick<DeadLetters, 'list'>; shopEvents?: Router; importNotices?: Pick<ProactiveUpdates, 'afterImport'> }): Router {
  const router = Router();
  // Signed by the shop (server/shop-events.ts), not token-guarded: mounted ahead of the guard.
  if (deps.shopEvents !== undefined) router.use(deps.shopEvents);
  router.use(requireAdmin(deps.adminToken));
  // Jobs whose retries are spent (jobs/dead-letters.ts): payloads carry ids, failures a reason code.
  router.get('/jobs/dead', async (req, res) => {
    const limit = DeadJobsLimitSchema.safeParse(req.query.limit);
    if (!limit.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'limit must be a whole number from 1 to 500', [{ path: 'limit', message: 'from 1 to 500' }]);
    res.json({ deadJobs: await deps.deadJobs.list(limit.data) });
  });
  router.post('/shop/import', ...jsonBody({ limit: IMPORT_BODY_LIMIT }), async (req, res) => {
    // Orders the import moves to shipped, out for delivery or delivered notify who consented (jobs/proactive-updates.ts).
    const run = () => importShop(deps.db, req.body);
    const summary = deps.importNotices !== undefined ? await deps.importNotices.afterImport(req.body, run) : await run();
    res.json({ imported: true, summary } satisfies z.infer<typeof ShopImportResultSchema>);
  });
  // Technical outages the bot tells affected customers about (server/incident-routes.ts).
  router.use(incidentRouter(new Incidents(deps.db)));
  return router;
}
