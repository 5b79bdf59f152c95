import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../../test/service.js';
import { WebchatSessions } from './session.js';

const FIRST = 'first-session-secret-for-rotation-0123456789';
const SECOND = 'second-session-secret-for-rotation-012345678';

async function status(baseUrl: string, token: string): Promise<number> {
  return (await fetch(`${baseUrl}/api/webchat/messages?after=-1`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function post(baseUrl: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl}/api/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: `probe${Math.random().toString(36).slice(2, 12)}`, text: 'hello' }),
  });
  return { status: res.status, body: await res.json() };
}

function upgradeStatus(baseUrl: string, token: string): Promise<number | undefined> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/webchat/socket?token=${encodeURIComponent(token)}`);
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(undefined));
  });
}

describe.each(DEPLOYMENTS)('web-chat session tokens (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment, { SESSION_SECRET: FIRST, WEBCHAT_TOKEN_TTL_HOURS: '24' });
  });
  afterAll(async () => {
    await service.dispose();
  });

  test('a session answers with a v2 token and its expiry', async () => {
    const res = await fetch(`${service.url}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = (await res.json()) as { token: string; expiresAt: string };
    expect(body.token.split('.')).toHaveLength(5);
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
  });

  test('a token with an extra or a missing segment is refused (401) on every route, and nothing is stored', async () => {
    const client = await new ChatClient(service.url).start();
    const parts = client.token.split('.');
    for (const token of [`${client.token}.x`, `${client.token}.`, parts.slice(0, 4).join('.'), [parts[0], parts[2], parts[3], parts[4]].join('.')]) {
      expect(await status(service.url, token)).toBe(401);
      expect(await post(service.url, token)).toMatchObject({ status: 401, body: { error: { code: 'SB_ERR_UNAUTHENTICATED' } } });
      expect(await upgradeStatus(service.url, token)).toBe(401);
    }
    expect((await client.history()).conversationId).toBeNull();
  });

  test('an expired token is refused (401) on every route', async () => {
    const past = new WebchatSessions({ secret: FIRST, ttlHours: 1, now: () => new Date(Date.now() - 2 * 3_600_000) }).mint().token;
    expect(await status(service.url, past)).toBe(401);
    expect((await post(service.url, past)).status).toBe(401);
    expect(await upgradeStatus(service.url, past)).toBe(401);
  });

  test('rotating the secret: old tokens work while SESSION_SECRET_PREVIOUS lists it, then stop; a token of an unknown secret never works', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('hello');
    const before = await client.history();

    service = await restartTestService({ ...service, env: { ...service.env, SESSION_SECRET: SECOND, SESSION_SECRET_PREVIOUS: FIRST } });
    const resumed = new ChatClient(service.url);
    resumed.token = client.token;
    expect(await resumed.history()).toEqual(before);
    expect(textOf(await resumed.say('thanks'))).not.toBe('');
    expect(await upgradeStatus(service.url, client.token)).toBe(101);
    const fresh = await new ChatClient(service.url).start();
    expect(await status(service.url, fresh.token)).toBe(200);
    const unknown = new WebchatSessions({ secret: 'a-secret-this-service-never-had-0123456789', ttlHours: 24 }).mint().token;
    expect(await status(service.url, unknown)).toBe(401);

    service = await restartTestService({ ...service, env: { ...service.env, SESSION_SECRET: SECOND, SESSION_SECRET_PREVIOUS: '' } });
    expect(await status(service.url, client.token)).toBe(401);
    expect(await status(service.url, fresh.token)).toBe(200);
  });
});
