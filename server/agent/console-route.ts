import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { apiDocs, htmlPage } from '../../core/api-doc.js';

export const agentConsoleDocs = apiDocs('', 'Agent console', [
  { method: 'get', path: '/agent', summary: 'The agent console (HTML; a Vue app built by Vite on first start).', responses: { 200: htmlPage('The console.') } },
]);

/**
 * Serves the agent console at `/agent`: its built assets under `/agent/assets/` (hashed names,
 * cached long) and its page for `/agent` itself. The build is awaited on the first request, so a
 * service that nobody opens the console on never builds it; `npm start` starts it early.
 */
export function agentConsoleRouter(builtDir: () => Promise<string>): Router {
  const router = Router();
  let assets: RequestHandler | null = null;
  router.use('/agent/assets', async (req, res, next) => {
    assets ??= express.static(path.join(await builtDir(), 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false });
    assets(req, res, next);
  });
  router.get(['/agent', '/agent/'], async (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(await builtDir(), 'index.html'));
  });
  return router;
}
