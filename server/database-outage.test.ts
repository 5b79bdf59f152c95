import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { capturedLogger } from '../test/captured-log.js';
import { ChatClient } from '../test/chat-client.js';
import { DisposablePostgres } from '../test/postgres-server.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { startService, type RunningService } from './service.js';

const CANARIES = ['4111 1111 1111 1111', 'cvv 739', 'ada.canary@example.com', '+1 415 555 0199', '12 Analytical Engine Way'];
const CANARY = 'card 4111 1111 1111 1111 cvv 739, ada.canary@example.com, +1 415 555 0199, 12 Analytical Engine Way';
const ADMIN_TOKEN = `admin-${randomBytes(16).toString('hex')}`;

async function readiness(url: string): Promise<{ status: number; retryAfter: string | null; body: { checks: Record<string, string> } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { checks: Record<string, string> } };
}

async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await readiness(url)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the service did not become ready again after Postgres came back');
    await sleep(100);
  }
}

describe('when Postgres crashes and comes back (Redis + Postgres)', () => {
  let postgres: DisposablePostgres;
  let service: RunningService;
  let dataDir: string;
  const captured = capturedLogger('info');

  beforeAll(async () => {
    postgres = await DisposablePostgres.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-pg-outage-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ADMIN_TOKEN,
      DATABASE_URL: postgres.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `sbtest:${randomBytes(6).toString('hex')}:`,
    };
    service = await startService(loadConfig(env), { log: captured.log });
  });
  afterAll(async () => {
    await service?.close();
    await postgres?.dispose();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  test('every request that needs the database gets 503 with Retry-After, never a 500, and all works again once it is back', async () => {
    const client = await new ChatClient(service.url).start();
    expect((await client.say('hello')).messages.length).toBeGreaterThan(0);

    await postgres.stop();

    const failedId = randomUUID().replaceAll('-', '');
    const during = [
      () =>
        fetch(`${service.url}/api/webchat/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
          body: JSON.stringify({ id: failedId, text: `where is my order? ${CANARY}` }),
        }),
      () => fetch(`${service.url}/api/webchat/messages?after=-1`, { headers: { authorization: `Bearer ${client.token}` } }),
      () => fetch(`${service.url}/help`),
      () => fetch(`${service.url}/help/order-status-explained`),
      () => fetch(`${service.url}/api/editor/articles`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    ];
    for (const request of during) {
      const res = await request();
      expect(res.status, res.url).toBe(503);
      expect(Number(res.headers.get('retry-after')), res.url).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_UNAVAILABLE');
    }
    const notReady = await readiness(service.url);
    expect(notReady.status).toBe(503);
    expect(Number(notReady.retryAfter)).toBeGreaterThan(0);
    expect(notReady.body.checks.database).toBe('unavailable');
    expect(notReady.body.checks.state).toBe('ok');

    await postgres.restart();
    await untilReady(service.url);

    // The message that failed was not stored, so sending it again is processed, not a duplicate.
    const retried = await client.say('where is my order?', { id: failedId });
    expect(retried.duplicate).toBe(false);
    expect(retried.messages.length).toBeGreaterThan(0);
    expect((await fetch(`${service.url}/help`)).status).toBe(200);
    // Nothing acknowledged before the crash was lost, and the failed message is stored once.
    const customerLines = (await client.history()).messages.filter((m) => m.author === 'customer').map((m) => m.message.kind === 'text' && m.message.text);
    expect(customerLines).toEqual(['hello', 'where is my order?']);
  });

  test('the outage left nothing personal in the log, and no unhandled error', () => {
    const log = captured.text();
    for (const canary of CANARIES) expect(log, canary).not.toContain(canary);
    expect(log).toContain('SB_ERR_UNAVAILABLE');
    expect(log).not.toContain('unhandled error');
  });
});
