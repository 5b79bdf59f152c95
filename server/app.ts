import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Router } from 'express';
import { CHANNELS_MOUNT } from '../channels/registry.js';
import { errorHandler, notFound } from './errors.js';
import { jsonBody, requestTextGuard } from './text-guard.js';
import type { Logger } from './logger.js';
import type { TrustProxy } from './client-ip.js';
import { apiReferenceRouter } from './openapi/route.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEBCHAT_PUBLIC_DIR = path.resolve(here, '../channels/webchat/public');
/** Chat messages are short; bigger bodies are refused before they are parsed. */
export const JSON_BODY_LIMIT = '64kb';

export interface AppRoutes {
  health: Router;
  webchat: Router;
  admin: Router;
  /** Knowledge-base editor API (authorizes by itself). */
  editor: Router;
  /** Public help-centre pages. */
  help: Router;
  devOutbox: Router | null;
  /** Signed return-label downloads, `GET /returns/:rma/label.pdf` (server/labels.ts). */
  returnLabels: Router;
  /** The page a resolved case's satisfaction email links to, at `/satisfaction` (server/case-satisfaction.ts). */
  caseSatisfaction: Router;
  /** Webhook connectors at `/channels/<name>` (channels/registry.ts); each reads its own raw body. */
  channels: Router;
  /** The agent console's API at `/api/agent` (server/agent/routes.ts; authorizes by itself). */
  agentApi: Router;
  /** The agent console's page and assets at `/agent`. */
  agentConsole: Router;
  /** Prometheus metrics at `GET /metrics` (server/metrics/; METRICS_TOKEN guards it when set). */
  metrics: Router;
  /** The WhatsApp Web connection page under /admin (channels/whatsapp-web/admin-page.ts; admins of the console); null unless WHATSAPP_WEB=true. */
  whatsappWebAdmin?: Router | null;
  /** The demo shop's password-reset page at `/account/reset` (server/account-reset.ts); null with PASSWORD_RESET_URL. */
  accountReset: Router | null;
}

/** CORS for the widget API: bearer tokens, no cookies, so any embedding origin is safe. */
const webchatCors: RequestHandler = (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Allow-Headers', 'authorization, content-type');
  res.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.set('Access-Control-Max-Age', '600');
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

/** `trustProxy`: which hops' X-Forwarded-For `req.ip` believes (TRUST_PROXY, server/client-ip.ts). */
export function createApp(routes: AppRoutes, log: Logger, trustProxy: TrustProxy): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'frame-ancestors': ["'none'"],
        },
      },
    }),
  );
  // Before any route or static file: a path that does not decode, or text the database would
  // refuse in the path or query, is a 400 naming the field, never a 500 further in.
  app.use(requestTextGuard);
  // The widget is embedded on the shop's own pages, so its files may be loaded cross-origin.
  app.use(['/widget.js', '/widget.css'], (_req, res, next) => {
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  app.use(express.static(WEBCHAT_PUBLIC_DIR, { index: 'index.html', maxAge: '5m' }));
  app.use(routes.health);
  // GET /openapi.json and the reference page at /docs/api (server/openapi/).
  app.use(apiReferenceRouter());
  app.use(routes.metrics);
  app.use('/api/webchat', webchatCors, ...jsonBody({ limit: JSON_BODY_LIMIT }), routes.webchat);
  // No JSON parser here: a signature covers the exact bytes the provider sent.
  app.use(CHANNELS_MOUNT, routes.channels);
  // Ahead of the admin API's token guard: this page authorizes by the console session and role.
  if (routes.whatsappWebAdmin) app.use('/admin', routes.whatsappWebAdmin);
  app.use('/admin', routes.admin);
  app.use('/api/editor', routes.editor);
  // No CORS here: the console is same-origin only, with a cookie session and an Origin check.
  app.use('/api/agent', ...jsonBody({ limit: JSON_BODY_LIMIT }), routes.agentApi);
  app.use(routes.agentConsole);
  app.use('/help', routes.help);
  if (routes.accountReset !== null) app.use('/account/reset', routes.accountReset);
  app.use(routes.returnLabels);
  app.use('/satisfaction', routes.caseSatisfaction);
  if (routes.devOutbox !== null) app.use(routes.devOutbox);
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
