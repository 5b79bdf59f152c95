import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { apiDocs, htmlPage } from '../../core/api-doc.js';
import { SwitchboardError } from '../../core/errors.js';
import { OutboxEntrySchema } from '../../core/notifier.js';
import { escapeHtml } from '../../core/html.js';
import type { DevOutbox } from './dev-outbox.js';

export const DEV_OUTBOX_PATH = '/dev/outbox';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how a dual-stack socket reports IPv4 peers). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * `req.ip` follows TRUST_PROXY, so a trusted local proxy forwarding a remote client is refused too:
 * the address that counts is the client's, not the proxy's.
 */
const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (isLoopbackAddress(req.ip)) next();
  else next(new SwitchboardError('SB_ERR_FORBIDDEN', 'The development outbox is served to loopback clients only; set DEV_OUTBOX=true to serve it to every client'));
};

const loopback = 'Not a loopback client (unless DEV_OUTBOX=true).';
export const devOutboxDocs = apiDocs('', 'Development', [
  {
    method: 'get',
    path: DEV_OUTBOX_PATH,
    summary: 'Development outbox (HTML): emails and SMS Switchboard would have sent. Only when DEV_OUTBOX is on (not in production by default).',
    responses: { 200: htmlPage('The outbox.'), 403: loopback },
  },
  {
    method: 'get',
    path: `${DEV_OUTBOX_PATH}.json`,
    summary: 'Development outbox as JSON, newest first.',
    responses: {
      200: {
        description: 'Messages.',
        json: z.object({ messages: z.array(OutboxEntrySchema) }),
      },
      403: loopback,
    },
  },
]);

/**
 * The development outbox page (HTML) and its JSON twin. Only mounted when DEV_OUTBOX is on,
 * i.e. never in production by default: it shows verification codes and reset links. Unless
 * DEV_OUTBOX=true was set explicitly (`public`), only loopback clients may read it: a
 * development server on 0.0.0.0 would otherwise hand every code to anyone on the network.
 */
export function devOutboxRouter(outbox: DevOutbox, options: { public: boolean }): Router {
  const router = Router();
  const guard: RequestHandler[] = options.public ? [] : [loopbackOnly];
  router.get(`${DEV_OUTBOX_PATH}.json`, ...guard, async (_req, res) => {
    res.json({ messages: await outbox.list() });
  });
  router.get(DEV_OUTBOX_PATH, ...guard, async (_req, res) => {
    const rows = (await outbox.list())
      .map(
        (m) => `<tr><td>${escapeHtml(m.createdAt.toISOString())}</td><td>${escapeHtml(m.transport)}</td><td>${escapeHtml(m.recipient)}</td>` +
          `<td>${escapeHtml(m.subject)}</td><td>${escapeHtml(m.body)}</td></tr>`,
      )
      .join('\n');
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development outbox · Switchboard</title>
<link rel="stylesheet" href="/demo.css"></head>
<body><main style="max-width:none">
<h1>Development outbox</h1>
<p>Emails and SMS that Switchboard would have sent (verification codes). Newest first. Reload to see new ones.</p>
<table aria-label="Outbox messages"><thead><tr><th>Sent</th><th>Via</th><th>To</th><th>Subject</th><th>Message</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">Nothing sent yet.</td></tr>'}</tbody></table>
</main></body></html>`);
  });
  return router;
}
