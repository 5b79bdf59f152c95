import { Router, type RequestHandler } from 'express';
import { apiDocs, htmlPage } from '../../core/api-doc.js';
import type { UserRole } from '../../core/agent-api.js';
import { SwitchboardError } from '../../core/errors.js';
import { escapeHtml } from '../../core/html.js';
import { qrSvg } from './qr-code.js';
import { WhatsAppWebStatusSchema, type WhatsAppWebSession, type WhatsAppWebState } from './status.js';

/** The page's path under `/admin` (the issue's contract: `GET /admin/whatsapp-web`). */
export const WHATSAPP_WEB_ADMIN_PATH = '/whatsapp-web';

export const whatsAppWebAdminDocs = apiDocs('/admin', 'Admin', [
  {
    method: 'get',
    path: WHATSAPP_WEB_ADMIN_PATH,
    summary: 'WhatsApp Web connection page: its state and, while it waits for log-in, the QR code to scan (WHATSAPP_WEB=true only).',
    description: 'For a console user with the admin role (the agent console\'s session cookie). Refreshes itself every few seconds until connected; never cached.',
    security: 'agentSession',
    responses: { 200: htmlPage('The connection page.'), 401: 'Not signed in to the agent console.', 403: 'Signed in without the admin role.' },
  },
  {
    method: 'get',
    path: `${WHATSAPP_WEB_ADMIN_PATH}/status`,
    summary: 'WhatsApp Web connection state (WHATSAPP_WEB=true only).',
    description: 'The state, when it last changed, and whether a QR code waits to be scanned; never the code itself.',
    security: 'agentSession',
    responses: { 200: { description: 'The state.', json: WhatsAppWebStatusSchema }, 401: 'Not signed in to the agent console.', 403: 'Signed in without the admin role.' },
  },
]);

const STATE_TEXT: Record<WhatsAppWebState, string> = {
  starting: 'Starting Chromium and loading WhatsApp Web…',
  qr: 'Waiting for log-in: scan this code with the shop’s phone.',
  authenticated: 'Logged in; loading chats…',
  ready: 'Connected: customers’ WhatsApp messages are answered.',
  auth_failure: 'WhatsApp refused the stored session. A new QR code appears here shortly; scan it again.',
  disconnected: 'Disconnected. After a log-out from the phone a new QR code appears here shortly; if the connection dropped, restart the service.',
  launch_failed: 'Chromium did not start, or it could not open web.whatsapp.com: check WHATSAPP_WEB_CHROMIUM (apt-get install chromium), the network and the service log, then restart.',
};

/**
 * `GET /admin/whatsapp-web` and its JSON status, for admins signed in to the agent console (its
 * session cookie, read by `currentUser`): the QR code is a log-in credential for the shop's
 * WhatsApp number. Mounted ahead of the admin-token API, and only with WHATSAPP_WEB=true.
 */
export function whatsAppWebAdminRouter(deps: { session: WhatsAppWebSession; currentUser: (cookieHeader: string | undefined) => Promise<{ role: UserRole } | null> }): Router {
  const router = Router();
  const adminOnly: RequestHandler = async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const user = await deps.currentUser(req.get('cookie'));
    if (user === null) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'Sign in at /agent with an admin account first');
    if (user.role !== 'admin') throw new SwitchboardError('SB_ERR_FORBIDDEN', 'Only admins may see the WhatsApp Web connection');
    next();
  };
  router.get(WHATSAPP_WEB_ADMIN_PATH, adminOnly, (_req, res) => {
    res.type('html').send(connectionPage(deps.session));
  });
  router.get(`${WHATSAPP_WEB_ADMIN_PATH}/status`, adminOnly, (_req, res) => {
    res.json(deps.session.status());
  });
  return router;
}

function connectionPage(session: WhatsAppWebSession): string {
  const status = session.status();
  const qr = session.pendingQr;
  // No script (the CSP allows none inline): the page reloads itself until the session is ready, as the code changes every few seconds.
  const refresh = status.state === 'ready' ? '' : '<meta http-equiv="refresh" content="5">\n';
  const code =
    qr === null
      ? ''
      : `<figure>${qrSvg(qr, 'WhatsApp Web log-in QR code')}<figcaption>On the shop’s phone: WhatsApp › Settings › Linked devices › Link a device, then point the camera at this code.</figcaption></figure>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${refresh}<title>WhatsApp Web connection · Switchboard</title>
</head>
<body>
<main>
<h1>WhatsApp Web connection</h1>
<p>State: <strong data-state="${escapeHtml(status.state)}">${escapeHtml(status.state)}</strong> since ${escapeHtml(status.since)}${status.reason !== null ? ` (${escapeHtml(status.reason)})` : ''}</p>
<p>${escapeHtml(STATE_TEXT[status.state])}</p>
${code}<p><small>whatsapp-web.js automates WhatsApp Web: it is not an official WhatsApp API, and WhatsApp may ban a number that uses it. For production use the WhatsApp Cloud API (docs/channels.md).</small></p>
</main>
</body>
</html>
`;
}
