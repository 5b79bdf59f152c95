import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { apiDocs } from '../core/api-doc.js';
import { SwitchboardError } from '../core/errors.js';
import { parseJson } from '../core/parse-json.js';
import type { ProactiveUpdates } from '../jobs/proactive-updates.js';
import { ShopEventsBodySchema, ShopEventsResultSchema } from '../channels/proactive/shop-event-schema.js';

export const SHOP_SIGNATURE_HEADER = 'x-shop-signature';
export const SHOP_TIMESTAMP_HEADER = 'x-shop-timestamp';
/** A signed request older (or newer) than this is refused: a captured batch cannot be replayed later. */
export const SHOP_SIGNATURE_TOLERANCE_SECONDS = 300;
const BODY_LIMIT = '1mb';
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

function digest(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The headers a shop sends with `body` (what its integration computes; the tests sign with it too). */
export function signShopEvents(secret: string, body: Buffer | string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { [SHOP_TIMESTAMP_HEADER]: timestamp, [SHOP_SIGNATURE_HEADER]: `sha256=${digest(secret, timestamp, Buffer.from(body)).toString('hex')}` };
}

export type ShopSignatureCheck = { ok: true } | { ok: false; reason: 'not_configured' | 'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp' };

/**
 * `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under SHOP_EVENTS_SECRET, compared in
 * constant time over the exact bytes before anything is parsed; fails closed without a secret.
 */
export function verifyShopSignature(secret: string | undefined, headers: { signature: string | undefined; timestamp: string | undefined }, body: Buffer, now: Date): ShopSignatureCheck {
  if (secret === undefined) return { ok: false, reason: 'not_configured' };
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_signature' };
  const given = SIGNATURE.exec(signature.trim());
  if (given === null || !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed_signature' };
  if (!timingSafeEqual(digest(secret, timestamp, body), Buffer.from(given[1] as string, 'hex'))) return { ok: false, reason: 'bad_signature' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SHOP_SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}

export const shopEventsApiDocs = apiDocs('/admin', 'Admin', [
  {
    method: 'post',
    path: '/shop/events',
    summary: "The shop's order events (shipped, out for delivery, delayed, delivered) and consents, signed; customers who consented get a notice.",
    description:
      'Signed, not token-guarded: `X-Shop-Timestamp: <unix seconds>` and `X-Shop-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under ' +
      'SHOP_EVENTS_SECRET>`, checked in constant time before the body is parsed; more than 5 minutes off is refused (replays). The whole batch is ' +
      'validated first and stored in one transaction: each event updates its order and, for a customer with a standing consent on a channel, ' +
      'queues one notice (idempotency key: order number + event `id`; the same event posted again stores and sends nothing). Notices due in ' +
      'PROACTIVE_QUIET_HOURS are held until they end. See docs/shop-import.md and docs/channels.md.',
    headers: z.object({ [SHOP_TIMESTAMP_HEADER]: z.string().regex(/^[0-9]+$/), [SHOP_SIGNATURE_HEADER]: z.string().regex(/^sha256=[0-9a-f]{64}$/) }),
    body: ShopEventsBodySchema,
    responses: {
      200: { description: 'Stored (or recognised as already stored); what became of each new event\'s notice.', json: ShopEventsResultSchema },
      400: 'The body is not JSON.',
      403: 'Missing, malformed, wrong or stale signature, or SHOP_EVENTS_SECRET unset (`SB_ERR_WEBHOOK_SIGNATURE`); nothing was stored.',
      413: 'The body is too large.',
      422: 'A record is invalid or names an unknown order or customer (`SB_ERR_SHOP_EVENT`; details name the record, e.g. "order 100234 (event ev-1)"); nothing was stored.',
    },
  },
]);

/** POST /shop/events under /admin, ahead of the admin token guard: the signature is its authentication. */
export function shopEventsRouter(deps: { secret: string | undefined; updates: Pick<ProactiveUpdates, 'report'>; now?: () => Date }): Router {
  const router = Router();
  router.post('/shop/events', express.raw({ type: () => true, limit: BODY_LIMIT, inflate: false }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyShopSignature(deps.secret, { signature: req.get(SHOP_SIGNATURE_HEADER), timestamp: req.get(SHOP_TIMESTAMP_HEADER) }, body, deps.now?.() ?? new Date());
    if (!check.ok) {
      const why = check.reason === 'not_configured' ? 'Shop events are disabled: set SHOP_EVENTS_SECRET to enable them' : `Shop event signature refused (${check.reason})`;
      throw new SwitchboardError('SB_ERR_WEBHOOK_SIGNATURE', why);
    }
    const parsed = parseJson(body.toString('utf8'));
    if (parsed === undefined) throw new SwitchboardError('SB_ERR_VALIDATION', 'The body must be JSON', [{ path: 'body', message: 'not JSON' }]);
    res.json(await deps.updates.report(parsed, 'webhook'));
  });
  return router;
}
