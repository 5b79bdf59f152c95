import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient } from '../test/chat-client.js';
import { ApiContract } from '../test/openapi-validate.js';
import { startTestService, type TestService } from '../test/service.js';

describe('HTTP server', () => {
  let service: TestService;
  let contract: ApiContract;
  beforeAll(async () => {
    service = await startTestService('embedded');
    contract = await ApiContract.of(service.url);
  });
  afterAll(async () => {
    await service.dispose();
  });

  test('reports liveness and readiness of the database and the state store', async () => {
    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    const readiness: unknown = await ready.json();
    expect(readiness).toMatchObject({ status: 'ready', checks: { database: 'ok', state: 'ok' } });
    contract.checkResponse('GET', '/healthz', health.status, await health.json());
    contract.checkResponse('GET', '/readyz', ready.status, readiness);
  });

  test('a web-chat session, a message with its replies and the history are what /openapi.json documents', async () => {
    const client = await new ChatClient(service.url, contract).start();
    const sent = await client.say('hello');
    expect(sent.messages.length).toBeGreaterThan(0);
    expect((await client.history()).messages.length).toBeGreaterThan(sent.messages.length);
    // The same message again: the duplicate answer is documented too.
    const id = 'repeat-me-0001';
    await client.say('where is my order', { id });
    expect(await client.say('where is my order', { id })).toMatchObject({ duplicate: true, messages: [] });
  });

  test('serves the demo page and the widget with security headers', async () => {
    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/widget.js"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const widget = await fetch(`${service.url}/widget.js`);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  test('answers errors as coded JSON: unknown route, missing token, invalid body, oversized body', async () => {
    const missing = await fetch(`${service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'SB_ERR_NOT_FOUND' } });

    const noToken = await fetch(`${service.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const refusal: unknown = await noToken.json();
    expect(refusal).toMatchObject({ error: { code: 'SB_ERR_UNAUTHENTICATED' } });
    contract.checkResponse('POST', '/api/webchat/messages', 401, refusal);

    const client = await new ChatClient(service.url).start();
    const post = (body: string) =>
      fetch(`${service.url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body,
      });
    const invalid = await post(JSON.stringify({ id: 'x', text: '' }));
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { error: { code: string; details: Array<{ path: string }> } };
    contract.checkResponse('POST', '/api/webchat/messages', 400, invalidBody);
    expect(invalidBody.error.code).toBe('SB_ERR_VALIDATION');
    expect(invalidBody.error.details.map((d) => d.path)).toContain('id');

    const notJson = await post('{"id": ');
    expect(notJson.status).toBe(400);

    const huge = await post(JSON.stringify({ id: 'abcdefgh1', text: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
    const tooLarge: unknown = await huge.json();
    expect(tooLarge).toMatchObject({ error: { code: 'SB_ERR_BODY_TOO_LARGE' } });
    contract.checkResponse('POST', '/api/webchat/messages', 413, tooLarge);
    // Nothing of the refused requests reached the conversation.
    expect((await client.history()).messages).toEqual([]);
  });

  test('the admin API refuses a missing or wrong token and imports nothing', async () => {
    const body = JSON.stringify({ customers: [{ id: 'C9999' }] });
    const none = await fetch(`${service.url}/admin/shop/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${service.url}/admin/shop/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token-not-the-token' },
      body,
    });
    expect(wrong.status).toBe(403);
    const count = await service.database.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '=', 'C9999').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

describe('start-up', () => {
  test('an invalid variable stops the process with one line naming it and an example', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: '/nonexistent/never-created' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/PORT="eighty" is invalid: .* Example: PORT=8080/);
  });
});
