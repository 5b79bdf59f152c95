import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AGENT_SESSION_COOKIE } from '../core/agent-api.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { hostileRequest, sendRaw, type RawResponse, type RouteShape } from '../test/hostile-requests.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

/** Seeded so a failure replays; bounded so the suite stays well under a minute. */
const SEED = 20_261_201;
const RUNS_PER_ROUTE = 40;

const text = fc.string({ maxLength: 30 });
const PUBLIC_ROUTES: RouteShape[] = [
  { method: 'GET', path: '/healthz', auth: 'none' },
  { method: 'GET', path: '/readyz', auth: 'none' },
  { method: 'POST', path: '/api/webchat/sessions', auth: 'none' },
  { method: 'GET', path: '/api/webchat/messages', auth: 'webchat' },
  { method: 'POST', path: '/api/webchat/messages', auth: 'webchat', body: { id: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 64 }), text, payload: text } },
  { method: 'GET', path: '/returns/:rma/label.pdf', auth: 'none' },
  { method: 'GET', path: '/dev/outbox', auth: 'none' },
  { method: 'GET', path: '/dev/outbox.json', auth: 'none' },
  { method: 'POST', path: '/admin/shop/import', auth: 'admin', body: { customers: fc.array(fc.object(), { maxLength: 2 }), products: fc.array(fc.object(), { maxLength: 2 }) } },
  { method: 'GET', path: '/help', auth: 'none' },
  { method: 'GET', path: '/help/:id', auth: 'none' },
  { method: 'GET', path: '/api/editor/articles', auth: 'admin' },
  { method: 'POST', path: '/api/editor/articles', auth: 'admin', body: { source: text } },
  { method: 'GET', path: '/api/editor/articles/:id', auth: 'admin' },
  { method: 'PUT', path: '/api/editor/articles/:id', auth: 'admin', body: { source: text, expectedVersion: fc.integer() } },
  { method: 'GET', path: '/api/editor/articles/:id/versions', auth: 'admin' },
  { method: 'POST', path: '/api/editor/articles/:id/preview', auth: 'admin', body: { source: text } },
  { method: 'POST', path: '/api/editor/articles/:id/publish', auth: 'admin', body: { version: fc.integer() } },
  { method: 'POST', path: '/api/editor/articles/:id/rollback', auth: 'admin', body: { version: fc.integer() } },
  { method: 'POST', path: '/api/editor/articles/:id/unpublish', auth: 'admin' },
  { method: 'POST', path: '/api/editor/search-test', auth: 'admin', body: { question: text } },
  { method: 'POST', path: '/api/agent/login', auth: 'agent', body: { email: text, password: text } },
  { method: 'GET', path: '/api/agent/session', auth: 'agent' },
  { method: 'GET', path: '/api/agent/queue', auth: 'agent' },
  { method: 'GET', path: '/api/agent/conversations/:id', auth: 'agent' },
  { method: 'POST', path: '/api/agent/conversations/:id/messages', auth: 'agent', body: { text } },
  { method: 'POST', path: '/api/agent/conversations/:id/transfer', auth: 'agent', body: { team: text, reason: text } },
  { method: 'POST', path: '/api/agent/conversations/:id/resolve', auth: 'agent', body: { disposition: text } },
  // Last of the agent routes: it ends the session the others use.
  { method: 'POST', path: '/api/agent/logout', auth: 'agent' },
  { method: 'GET', path: '/:anything', auth: 'none' },
];

/** What every answer to a hostile request must look like; returns the broken rule, or null. */
function brokenRule(route: RouteShape, response: RawResponse): string | null {
  if (response.status >= 500) return `answered ${response.status}: ${response.body.slice(0, 300)}`;
  if (response.status < 400) return null;
  // Help pages are for people: their 404 is an HTML page.
  if (route.path.startsWith('/help') && response.status === 404 && response.contentType.startsWith('text/html')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return `${response.status} without a JSON error body: ${response.body.slice(0, 200)}`;
  }
  const error = (parsed as { error?: { code?: unknown; details?: unknown } }).error;
  if (typeof error?.code !== 'string' || !/^SB_ERR_[A-Z_]+$/.test(error.code)) return `${response.status} without an SB_ERR_* code: ${response.body.slice(0, 200)}`;
  if (error.code === 'SB_ERR_VALIDATION') {
    const details = error.details;
    const named = Array.isArray(details) && details.length > 0 && details.every((d) => typeof (d as { path?: unknown }).path === 'string' && (d as { path: string }).path !== '');
    if (!named) return `SB_ERR_VALIDATION that names no field: ${response.body.slice(0, 200)}`;
  }
  return null;
}

describe.each(DEPLOYMENTS)('every public route under fuzzing (%s)', (deployment) => {
  let service: TestService;
  const adminToken = randomBytes(24).toString('base64url');
  let webchatToken = '';
  let agentCookie = '';
  beforeAll(async () => {
    service = await startTestService(deployment, {
      ADMIN_TOKEN: adminToken,
      WEBCHAT_MESSAGES_PER_MINUTE: '100000',
      WEBCHAT_SESSIONS_PER_HOUR: '100000',
    });
    const res = await fetch(`${service.url}/api/webchat/sessions`, { method: 'POST' });
    webchatToken = ((await res.json()) as { token: string }).token;
    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    agentCookie = `${AGENT_SESSION_COOKIE}=${agent.cookie}`;
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test.each(PUBLIC_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: no 5xx, every 4xx coded and naming the field', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(hostileRequest(route, { webchatToken, adminToken, agentCookie, origin: service.url }), async (request) => {
        const response = await sendRaw(service.url, request);
        const broken = brokenRule(route, response);
        if (broken !== null) throw new Error(`${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)}: ${broken}`);
      }),
      { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
