import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { capturedLogger } from '../test/captured-log.js';
import { createPostgresTestDatabase } from '../test/databases.js';
import { DEPLOYMENTS } from '../test/service.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { startService, type RunningService } from './service.js';

/** What a customer might paste into a chat, and must never be found in a log line. */
const CANARIES = ['4111 1111 1111 1111', '4111111111111111', 'cvv 739', 'ada.canary@example.com', '+1 415 555 0199', '4155550199', '12 Analytical Engine Way'];
const CANARY = 'card 4111 1111 1111 1111 exp 12/29 cvv 739, ada.canary@example.com, +1 415 555 0199 (4155550199), 12 Analytical Engine Way';
const ADMIN_TOKEN = `admin-${randomBytes(16).toString('hex')}`;

interface Probe {
  name: string;
  path: string;
  method?: string;
  body?: string;
  /** Sent with the visitor's session token (default) or the admin token. */
  auth?: 'visitor' | 'admin' | 'none';
  status: number;
  /** The field the 400 names. */
  field?: string;
}

const json = (value: unknown): string => JSON.stringify(value);
const messageId = (): string => randomUUID().replaceAll('-', '');
const enc = encodeURIComponent;

const PROBES: Probe[] = [
  { name: 'a NUL in the message text', path: '/api/webchat/messages', body: json({ id: messageId(), text: `${CANARY}\u0000` }), status: 400, field: 'text' },
  { name: 'an unpaired surrogate in the message text', path: '/api/webchat/messages', body: json({ id: messageId(), text: `${CANARY}\ud800` }), status: 400, field: 'text' },
  { name: 'a NUL in the payload', path: '/api/webchat/messages', body: json({ id: messageId(), text: 'hi', payload: `\u0000${CANARY}` }), status: 400, field: 'payload' },
  { name: 'a NUL under a __proto__ key', path: '/api/webchat/messages', body: `{"id":"${messageId()}","text":"hi","__proto__":{"note":"${CANARY}\\u0000"}}`, status: 400, field: '__proto__.note' },
  { name: 'a NUL in a field name', path: '/api/webchat/messages', body: `{"id":"${messageId()}","text":"${CANARY}","x\\u0000":1}`, status: 400, field: 'x\\u0000' },
  { name: 'JSON that does not parse', path: '/api/webchat/messages', body: `{"id":"${messageId()}","text":"${CANARY}`, status: 400 },
  { name: 'a body over the limit', path: '/api/webchat/messages', body: json({ id: messageId(), text: CANARY.repeat(1000) }), status: 413 },
  { name: 'no session token', path: '/api/webchat/messages', body: json({ id: messageId(), text: CANARY }), auth: 'none', status: 401 },
  { name: 'a NUL in the query string', path: `/api/webchat/messages?after=%00&email=${enc(CANARY)}`, method: 'GET', status: 400, field: 'query.after' },
  { name: 'bad percent-encoding in a help page path', path: `/help/${enc(CANARY)}%ff`, method: 'GET', status: 400, field: 'path' },
  { name: 'a NUL in a help page path', path: `/help/${enc(CANARY)}%00`, method: 'GET', status: 400, field: 'path' },
  { name: 'a truncated UTF-8 sequence in an editor path', path: '/api/editor/articles/%E0%A4%A', method: 'GET', auth: 'admin', status: 400, field: 'path' },
  { name: 'bad percent-encoding in a static file path', path: `/${enc(CANARY)}%c0.js`, method: 'GET', status: 400, field: 'path' },
  { name: 'a NUL in an article source', path: '/api/editor/articles', body: json({ source: `---\ntitle: ${CANARY}\n---\n${CANARY}\u0000` }), auth: 'admin', status: 400, field: 'source' },
  { name: 'a lone surrogate deep in a shop import', path: '/admin/shop/import', body: json({ customers: [{ id: 'c1', name: 'Ada', email: 'ada.canary@example.com', address: `${CANARY}\udc00` }] }), auth: 'admin', status: 400, field: 'customers[0].address' },
  { name: 'an unknown API route', path: `/api/webchat/${enc(CANARY)}`, body: json({ text: CANARY }), status: 404 },
  { name: 'an unknown page', path: `/${enc(CANARY)}?email=${enc(CANARY)}`, method: 'GET', status: 404 },
];

describe.each(DEPLOYMENTS)('failing requests on %s', (deployment) => {
  let service: RunningService;
  let dataDir: string;
  let dropDatabase = async (): Promise<void> => undefined;
  let visitorToken = '';
  const captured = capturedLogger('info');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-error-logs-'));
    const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'test', ADMIN_TOKEN };
    if (deployment === 'redis+postgres') {
      const database = await createPostgresTestDatabase();
      dropDatabase = database.drop;
      Object.assign(env, { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `sbtest:${randomBytes(6).toString('hex')}:` });
    }
    service = await startService(loadConfig(env), { log: captured.log });
    const session = await fetch(`${service.url}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    visitorToken = ((await session.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await service?.close();
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
  });

  test.each(PROBES)('$name: $status with a coded error', async (probe) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = probe.auth ?? 'visitor';
    if (auth !== 'none') headers.authorization = `Bearer ${auth === 'admin' ? ADMIN_TOKEN : visitorToken}`;
    const method = probe.method ?? 'POST';
    const res = await fetch(`${service.url}${probe.path}`, { method, headers, ...(method === 'GET' ? {} : { body: probe.body ?? '{}' }) });
    expect(res.status).toBe(probe.status);
    const body = (await res.json()) as { error: { code: string; details?: Array<{ path: string }> } };
    expect(body.error.code).toMatch(/^SB_ERR_/);
    if (probe.field !== undefined) expect(body.error.details?.map((d) => d.path)).toContain(probe.field);
    // A refusal names the field, never echoes its value (a 404 does repeat the client's own path).
    if (probe.status !== 404) expect(JSON.stringify(body)).not.toContain('4111');
  });

  test('a database failure in the middle of a turn is a 503 with Retry-After', async () => {
    // A valid message with the canaries in it, then the database goes away under the service.
    const warmUp = await fetch(`${service.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitorToken}` },
      body: json({ id: messageId(), text: 'hello' }),
    });
    expect(warmUp.status).toBe(200);
    await service.database.close();
    const res = await fetch(`${service.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitorToken}` },
      body: json({ id: messageId(), text: `my card is ${CANARY}` }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_UNAVAILABLE');
  });

  test('the log at info holds none of the canaries, and says what failed', () => {
    const log = captured.text();
    for (const canary of CANARIES) expect(log, canary).not.toContain(canary);
    expect(log).toContain('SB_ERR_UNAVAILABLE');
    expect(log).not.toContain('unhandled error');
  });
});
