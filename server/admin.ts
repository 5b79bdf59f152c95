import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.js';
import { bearerToken } from '../channels/webchat/session.js';
import type { Database } from '../db/schema.js';
import { importShop } from '../db/shop/import.js';
import type { DeadLetters } from '../jobs/dead-letters.js';
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

export function adminRouter(deps: { db: Kysely<Database>; adminToken: string | null; deadJobs: Pick<DeadLetters, 'list'> }): Router {
  const router = Router();
  router.use(requireAdmin(deps.adminToken));
  // Jobs whose retries are spent (jobs/dead-letters.ts): payloads carry ids, failures a reason code.
  router.get('/jobs/dead', async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(500).default(100).safeParse(req.query.limit);
    if (!limit.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'limit must be a whole number from 1 to 500', [{ path: 'limit', message: 'from 1 to 500' }]);
    res.json({ deadJobs: await deps.deadJobs.list(limit.data) });
  });
  router.post('/shop/import', ...jsonBody({ limit: IMPORT_BODY_LIMIT }), async (req, res) => {
    const summary = await importShop(deps.db, req.body);
    res.json({ imported: true, summary });
  });
  return router;
}
