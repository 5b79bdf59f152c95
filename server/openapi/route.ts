import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { escapeHtml } from '../html.js';
import { openApiDocument } from './document.js';
import { API_REFERENCE_PATH, OPENAPI_PATH } from './reference-docs.js';

const ASSETS_PATH = `${API_REFERENCE_PATH}/assets`;

/** Swagger UI's files, served from node_modules: the page loads nothing from another origin. */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/**
 * The page's only script of our own. A file, not an inline script: the app's CSP allows
 * same-origin scripts only (server/app.ts).
 */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: ${JSON.stringify(OPENAPI_PATH)}, dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
});
`;

function referencePage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<noscript><p>The API reference needs JavaScript; the document itself is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</p></noscript>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}/init.js"></script>
</body></html>`;
}

/** `GET /openapi.json` and the reference page at `GET /docs/api` with its assets. */
export function apiReferenceRouter(): Router {
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });
  router.get(API_REFERENCE_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.type('html').send(referencePage('Switchboard HTTP API'));
  });
  router.use(ASSETS_PATH, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const file = req.path.slice(1);
    if (file === 'init.js') {
      res.type('application/javascript').set('Cache-Control', 'no-cache').send(INIT_SCRIPT);
      return;
    }
    if (!SWAGGER_UI_FILES.has(file)) {
      next();
      return;
    }
    res.sendFile(file, { root: SWAGGER_UI_DIR, maxAge: '1d' });
  });
  return router;
}
