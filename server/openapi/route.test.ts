import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Router } from 'express';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../test/browser.js';
import { createApp } from '../app.js';
import { compileTrustProxy } from '../client-ip.js';
import { createLogger } from '../logger.js';
import { buildOpenApiDocument } from './document.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  // The real app (its helmet CSP included) with empty routers: the reference page needs none of them.
  const empty = (): Router => Router();
  const app = createApp(
    {
      health: empty(),
      webchat: empty(),
      admin: empty(),
      editor: empty(),
      help: empty(),
      devOutbox: null,
      returnLabels: empty(),
      caseSatisfaction: empty(),
      channels: empty(),
      agentApi: empty(),
      agentConsole: empty(),
      metrics: empty(),
      accountReset: null,
    },
    createLogger('silent'),
    compileTrustProxy(undefined),
  );
  server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('the generated document is valid OpenAPI 3.1', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(buildOpenApiDocument()) as unknown as Record<string, unknown>);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
});

test('GET /openapi.json serves the document, with the coded error body and the security schemes', async () => {
  const res = await fetch(`${base}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'agentSession', 'metricsToken', 'webchatSession']);
  expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
  expect(doc.paths['/api/agent/queue']?.get?.security).toEqual([{ agentSession: [] }]);
  expect(doc.paths['/api/agent/login']?.post?.security).toBeUndefined();
});

test('two docs for one operation are refused when the document is built', () => {
  const route = { method: 'get' as const, path: '/x', summary: 'x', responses: { 200: 'ok' } };
  expect(() => buildOpenApiDocument([{ mount: '', tag: 'a', routes: [route] }, { mount: '', tag: 'b', routes: [route] }])).toThrow('GET /x is documented twice');
});

test('/docs/api is an HTML page loading Swagger UI from this service only, and every asset it names answers 200', async () => {
  const res = await fetch(`${base}/docs/api`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string).filter((u) => u !== '/openapi.json');
  expect(assets).toEqual(expect.arrayContaining(['/docs/api/assets/swagger-ui.css', '/docs/api/assets/swagger-ui-bundle.js', '/docs/api/assets/init.js']));
  // Nothing from a CDN, and no inline script the CSP would block.
  for (const url of assets) expect(url.startsWith('/'), url).toBe(true);
  expect(html).not.toMatch(/<script>(?!<\/script>)/);
  for (const url of assets) expect((await fetch(`${base}${url}`)).status, url).toBe(200);
  expect(await (await fetch(`${base}/docs/api/assets/init.js`)).text()).toContain('"/openapi.json"');
  // Only the files the page uses: not the package's demo page pointing at the petstore.
  expect((await fetch(`${base}/docs/api/assets/index.html`)).status).toBe(404);
  expect((await fetch(`${base}/docs/api/assets/swagger-initializer.js`)).status).toBe(404);
});

test('in Chromium the reference page renders the operations under the CSP, with no blocked script', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/docs/api`);
    await expect.poll(() => page.getByText('Sign in to the agent console; sets the session cookie.').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByText('/api/webchat/messages').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: /Switchboard HTTP API/ }).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}, 60_000);
