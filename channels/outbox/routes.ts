import { Router } from 'express';
import { escapeHtml } from '../../server/html.js';
import type { DevOutbox } from './dev-outbox.js';

export const DEV_OUTBOX_PATH = '/dev/outbox';

/**
 * The development outbox page (HTML) and its JSON twin. Only mounted when DEV_OUTBOX is on,
 * i.e. never in production by default: it shows verification codes.
 */
export function devOutboxRouter(outbox: DevOutbox): Router {
  const router = Router();
  router.get(`${DEV_OUTBOX_PATH}.json`, async (_req, res) => {
    res.json({ messages: await outbox.list() });
  });
  router.get(DEV_OUTBOX_PATH, async (_req, res) => {
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
