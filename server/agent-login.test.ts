import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationRepository } from '../db/conversations.js';
import { UserRepository } from '../db/users.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { hashPassword, verifyPassword } from './agent/passwords.js';

describe.each(DEPLOYMENTS)('signing in to the agent console (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    // Each test signs in from its own address (X-Forwarded-For from loopback), so their budgets are their own.
    service = await startTestService(deployment, { AGENT_LOGIN_MAX_ATTEMPTS: '3', AGENT_LOGIN_MAX_ATTEMPTS_PER_IP: '6', TRUST_PROXY: 'loopback' });
    const users = new UserRepository(service.database.db);
    for (const email of ['ivy@voltline.example', 'joe@voltline.example', 'kim@voltline.example', 'lee@voltline.example']) {
      await users.create({ email, name: email.split('@')[0]!, role: 'agent', teams: ['returns'], passwordHash: await hashPassword('the-right-password-1') });
    }
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('passwords are stored as argon2id hashes only, never as text', async () => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const rows = await service.database.db.selectFrom('users').select(['email', 'password_hash']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain('the-right-password-1');
    }
    for (const agent of Object.values(demo)) {
      const row = rows.find((r) => r.email === agent.email)!;
      expect(row.password_hash).not.toContain(agent.password);
      expect(await verifyPassword(row.password_hash, agent.password)).toBe(true);
      expect(await verifyPassword(row.password_hash, `${agent.password}x`)).toBe(false);
    }
  });

  test('the demo supervisor and two agents in different teams can sign in with the passwords in secrets.json', async () => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    expect(demo.returns.team).not.toBe(demo.technical.team);
    expect(demo.supervisor.role).toBe('supervisor');
    for (const agent of Object.values(demo)) {
      const res = await new AgentClient(service.url).post('/login', { email: agent.email, password: agent.password });
      expect(res.status, agent.email).toBe(200);
      expect(res.body).toMatchObject({ agent: { email: agent.email, role: agent.role, teams: [agent.team] } });
    }
  });

  test('a password change signs out every session of that user', async () => {
    const users = new UserRepository(service.database.db);
    await users.create({ email: 'mo@voltline.example', name: 'Mo', role: 'agent', teams: [], passwordHash: await hashPassword('the-first-password-1') });
    const first = await new AgentClient(service.url).login('mo@voltline.example', 'the-first-password-1');
    expect((await first.get('/queue')).status).toBe(200);
    const found = await users.byEmail('mo@voltline.example');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await users.setPasswordHash(found!.profile.id, await hashPassword('the-second-password-2'));
    expect((await first.get('/queue')).status).toBe(401);
    expect((await new AgentClient(service.url).post('/login', { email: 'mo@voltline.example', password: 'the-first-password-1' })).status).toBe(401);
    const second = await new AgentClient(service.url).login('mo@voltline.example', 'the-second-password-2');
    expect((await second.get('/queue')).status).toBe(200);
  });

  test('a wrong password, an unknown email: the same 401 and no session', async () => {
    const wrong = new AgentClient(service.url);
    const unknown = new AgentClient(service.url);
    const a = await wrong.post('/login', { email: 'lee@voltline.example', password: 'not-the-password' });
    const b = await unknown.post('/login', { email: 'nobody@voltline.example', password: 'not-the-password' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body).toEqual(b.body);
    expect([wrong.cookie, unknown.cookie]).toEqual([null, null]);
  });

  test('after 3 failed sign-ins an account answers 429 with Retry-After, even to the right password', async () => {
    const client = new AgentClient(service.url);
    client.forwardedFor = '198.51.100.1';
    for (let i = 0; i < 3; i += 1) expect((await client.post('/login', { email: 'ivy@voltline.example', password: `guess-${i}` })).status).toBe(401);
    const locked = await client.post('/login', { email: 'IVY@voltline.example', password: 'the-right-password-1' });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'SB_ERR_RATE_LIMITED' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(client.cookie).toBeNull();
    // Another account is not locked by it, not even from the same address.
    expect((await client.post('/login', { email: 'joe@voltline.example', password: 'the-right-password-1' })).status).toBe(200);
    // Nor is the right password from elsewhere let through to the locked one.
    const elsewhere = new AgentClient(service.url);
    elsewhere.forwardedFor = '198.51.100.2';
    expect((await elsewhere.post('/login', { email: 'ivy@voltline.example', password: 'the-right-password-1' })).status).toBe(429);
  });

  test('one address trying many accounts is stopped after its own budget', async () => {
    const client = new AgentClient(service.url);
    client.forwardedFor = '198.51.100.3';
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await client.post('/login', { email: `kim${i}@voltline.example`, password: 'guess' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const locked = await client.post('/login', { email: 'kim@voltline.example', password: 'the-right-password-1' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another address still signs in to the same account.
    const other = new AgentClient(service.url);
    other.forwardedFor = '198.51.100.4';
    expect((await other.post('/login', { email: 'kim@voltline.example', password: 'the-right-password-1' })).status).toBe(200);
  });
});

describe('state-changing agent calls must come from the service’s own Origin', () => {
  let service: TestService;
  let demo: Awaited<ReturnType<typeof demoAgents>>;
  beforeAll(async () => {
    service = await startTestService('embedded');
    demo = await demoAgents(service.env.DATA_DIR!);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test.each([
    ['another site', 'https://evil.example'],
    ['a look-alike port', 'http://127.0.0.1:1'],
    ['no Origin at all', null],
  ])('a sign-in from %s is refused and starts no session', async (_name, origin) => {
    const client = new AgentClient(service.url, origin);
    const res = await client.post('/login', { email: demo.technical.email, password: demo.technical.password });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_FORBIDDEN' } });
    expect(client.cookie).toBeNull();
  });

  test('a claim or a reply with a valid session but a foreign Origin is refused and stores nothing', async () => {
    const { client, conversationId } = await handedOffCustomer(service.url);
    const agent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    const forged = agent.on(service.url, 'https://evil.example');
    const repo = new ConversationRepository(service.database.db);
    const before = await repo.loadEvents(conversationId);
    expect((await forged.post(`/conversations/${conversationId}/claim`)).status).toBe(403);
    expect((await forged.post(`/conversations/${conversationId}/messages`, { text: 'phished' })).status).toBe(403);
    expect((await forged.post('/logout')).status).toBe(403);
    expect(await repo.loadEvents(conversationId)).toEqual(before);
    expect(JSON.stringify((await client.history()).messages)).not.toContain('phished');
    // Reads carry no side effect; the same session still works from the console's own page.
    expect((await forged.get('/queue')).status).toBe(200);
    expect((await agent.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
  });

  test('the socket refuses an upgrade without the session cookie or from another Origin', async () => {
    const { default: WebSocket } = await import('ws');
    const agent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    const attempt = (headers: Record<string, string>): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/agent/socket`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    const cookie = `sb_agent_session=${agent.cookie}`;
    expect(await attempt({ origin: service.url })).toBe(401);
    expect(await attempt({ origin: 'https://evil.example', cookie })).toBe(401);
    expect(await attempt({ origin: service.url, cookie })).toBe(101);
  });
});
