import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../server/logger.js';
import { startService, type RunningService } from '../../server/service.js';
import { DisposablePostgres } from '../../test/postgres-server.js';
import { TEST_REDIS_URL } from '../../test/services.js';
import { eventually, messageWebhook, postTestWebhook, TestChannelCustomer, TestChannelProvider } from '../../test/test-channel-provider.js';
import { DisposableRedis } from '../../state/test-fixtures/redis-server.js';

async function serviceOn(env: Record<string, string>, provider: TestChannelProvider): Promise<{ service: RunningService; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-tc-outage-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    REDIS_KEY_PREFIX: `sbtest:${randomBytes(6).toString('hex')}:`,
    ...provider.env(),
    ...env,
  });
  return { service: await startService(config, { log: createLogger('silent') }), dataDir };
}

describe('the test channel while Postgres is down (Redis + Postgres)', () => {
  let postgres: DisposablePostgres;
  let provider: TestChannelProvider;
  let running: Awaited<ReturnType<typeof serviceOn>>;

  beforeAll(async () => {
    postgres = await DisposablePostgres.start();
    provider = await new TestChannelProvider().start();
    running = await serviceOn({ DATABASE_URL: postgres.url, REDIS_URL: TEST_REDIS_URL }, provider);
  });
  afterAll(async () => {
    await running?.service.close();
    await postgres?.dispose();
    await provider?.stop();
    if (running !== undefined) await rm(running.dataDir, { recursive: true, force: true });
  });

  test('a message that cannot be stored is answered 503 with Retry-After, and the provider’s retry is processed once', async () => {
    const { service } = running;
    const ada = new TestChannelCustomer(service, provider);
    expect((await ada.say('hello')).replies.length).toBeGreaterThan(0);

    await postgres.stop();
    const webhook = messageWebhook(ada.id, { type: 'text', text: 'where is my order?' });
    const during = await postTestWebhook(service.url, provider.secret, webhook);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await during.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_UNAVAILABLE');

    await postgres.restart();
    // The provider retries as told; not acknowledged before, so this is the first time it is stored.
    const retried = await eventually(
      () => postTestWebhook(service.url, provider.secret, webhook),
      (res) => res.status === 200,
    );
    expect(await retried.json()).toEqual({ received: [{ id: webhook.id, result: 'accepted' }] });
    const turn = await ada.turnOf(webhook.id);
    expect(turn.text).toMatch(/order number/i);
    const stored = await service.database.db.selectFrom('conversation_events').select('seq').where('type', '=', 'user_said').where('provider_message_id', '=', webhook.id).execute();
    expect(stored).toHaveLength(1);
  });
});

describe('the test channel while Redis is down (Redis + Postgres)', () => {
  let redis: DisposableRedis;
  let provider: TestChannelProvider;
  let drop: () => Promise<void>;
  let running: Awaited<ReturnType<typeof serviceOn>>;

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    provider = await new TestChannelProvider().start();
    const { createPostgresTestDatabase } = await import('../../test/databases.js');
    const created = await createPostgresTestDatabase();
    drop = created.drop;
    running = await serviceOn({ DATABASE_URL: created.url, REDIS_URL: redis.url }, provider);
  });
  afterAll(async () => {
    await running?.service.close();
    await redis?.kill();
    await drop?.();
    await provider?.stop();
    if (running !== undefined) await rm(running.dataDir, { recursive: true, force: true });
  });

  test('acknowledging needs only the database: the message is accepted, kept, and answered once Redis is back', async () => {
    const { service } = running;
    const ada = new TestChannelCustomer(service, provider);
    expect((await ada.say('hello')).replies.length).toBeGreaterThan(0);

    await redis.kill();
    const id = `tc-in-${randomUUID()}`;
    const res = await postTestWebhook(service.url, provider.secret, messageWebhook(ada.id, { type: 'text', text: 'where is my order?' }, id));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: [{ id, result: 'accepted' }] });
    // Kept in the database while its turn cannot run (the turn needs Redis for its claim and lock).
    expect(await service.database.db.selectFrom('inbound_messages').select('provider_message_id').where('provider_message_id', '=', id).execute()).toHaveLength(1);

    await redis.restart();
    const turn = await ada.turnOf(id);
    expect(turn.text).toMatch(/order number/i);
    const stored = await service.database.db.selectFrom('conversation_events').select('seq').where('type', '=', 'user_said').where('provider_message_id', '=', id).execute();
    expect(stored).toHaveLength(1);
  });
});
