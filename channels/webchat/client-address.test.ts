import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../server/logger.js';
import { startService, type RunningService } from '../../server/service.js';
import { createPostgresTestDatabase } from '../../test/databases.js';
import { sharedInstanceEnv } from '../../test/instances.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

async function newSession(baseUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${baseUrl}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function send(baseUrl: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ id: randomBytes(8).toString('hex'), text: 'hello' }),
  });
}

/** Sends one message from each of `visitors` fresh sessions and returns the statuses. */
async function rotatingVisitors(baseUrls: string[], visitors: number, headers: (i: number) => Record<string, string> = () => ({})): Promise<Response[]> {
  const responses: Response[] = [];
  for (let i = 0; i < visitors; i++) {
    const baseUrl = baseUrls[i % baseUrls.length] as string;
    const token = await newSession(baseUrl, headers(i));
    responses.push(await send(baseUrl, token, headers(i)));
  }
  return responses;
}

describe.each(DEPLOYMENTS)('per-address message budget (%s)', (deployment) => {
  test('one address rotating visitor ids gets 429 with Retry-After past WEBCHAT_MESSAGES_PER_MINUTE_PER_IP', async () => {
    const service = await startTestService(deployment, { WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '5', WEBCHAT_SESSIONS_PER_HOUR: '1000' });
    try {
      const responses = await rotatingVisitors([service.url], 12);
      expect(responses.map((r) => r.status)).toEqual([...Array<number>(5).fill(200), ...Array<number>(7).fill(429)]);
      const refused = responses[5] as Response;
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: { code: 'SB_ERR_RATE_LIMITED' } });
    } finally {
      await service.dispose();
    }
  });

  test('without TRUST_PROXY a forged X-Forwarded-For does not buy a fresh budget', async () => {
    const service = await startTestService(deployment, { WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '3', WEBCHAT_SESSIONS_PER_HOUR: '1000' });
    try {
      const responses = await rotatingVisitors([service.url], 6, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(3);
    } finally {
      await service.dispose();
    }
  });

  test('behind a trusted proxy each forwarded client has its own budget', async () => {
    const service = await startTestService(deployment, { TRUST_PROXY: 'loopback', WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '2', WEBCHAT_SESSIONS_PER_HOUR: '1000' });
    try {
      const alice = await rotatingVisitors([service.url], 3, () => ({ 'x-forwarded-for': '198.51.100.7' }));
      const bob = await rotatingVisitors([service.url], 2, () => ({ 'x-forwarded-for': '198.51.100.8' }));
      expect(alice.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(bob.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await service.dispose();
    }
  });
});

describe('per-address message budget shared by two instances', () => {
  let database: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let a: RunningService;
  let b: RunningService;
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    const prefix = randomBytes(4).toString('hex');
    const env = sharedInstanceEnv(prefix, database.url, { WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '6', WEBCHAT_SESSIONS_PER_HOUR: '1000' });
    a = await startService(loadConfig(env), { log: createLogger('silent') });
    b = await startService(loadConfig(env), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  test('alternating between instances, the address gets the budget once, not twice', async () => {
    const responses = await rotatingVisitors([a.url, b.url], 14);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(6);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(8);
  });
});

describe('development outbox', () => {
  let service: TestService;
  afterAll(async () => service?.dispose());

  test('is served to loopback clients and refused to a remote client forwarded by a trusted proxy', async () => {
    service = await startTestService('embedded', { TRUST_PROXY: 'loopback' });
    for (const path of ['/dev/outbox', '/dev/outbox.json']) {
      expect((await fetch(`${service.url}${path}`)).status).toBe(200);
      const remote = await fetch(`${service.url}${path}`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(remote.status).toBe(403);
      const body = (await remote.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SB_ERR_FORBIDDEN');
      expect(body.error.message).toContain('DEV_OUTBOX=true');
    }
  });

  test('DEV_OUTBOX=true set explicitly serves it to every client', async () => {
    const open = await startTestService('embedded', { TRUST_PROXY: 'loopback', DEV_OUTBOX: 'true' });
    try {
      const remote = await fetch(`${open.url}/dev/outbox.json`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(remote.status).toBe(200);
      expect(await remote.json()).toHaveProperty('messages');
    } finally {
      await open.dispose();
    }
  });

  test('in production it is never on: production refuses DEV_OUTBOX=true and needs a real code transport', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://sb@db/sb', REDIS_URL: 'redis://cache:6379', SESSION_SECRET: 'p'.repeat(40) };
    expect(() => loadConfig(production)).toThrowError(/one-time codes .*SMTP_URL and MAIL_FROM.*Example: SMTP_URL=/);
    expect(() => loadConfig({ ...production, DEV_OUTBOX: 'true' })).toThrowError(/DEV_OUTBOX=true is not allowed when NODE_ENV=production/);
    const withSmtp = { ...production, SMTP_URL: 'smtp://mailer:secret@smtp.example.com:587', MAIL_FROM: 'support@example.com' };
    expect(loadConfig(withSmtp)).toMatchObject({ DEV_OUTBOX: false, DEV_OUTBOX_PUBLIC: false });
    expect(() => loadConfig({ ...withSmtp, DEV_OUTBOX: 'true' })).toThrowError(/DEV_OUTBOX=true is not allowed/);
  });
});
