import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { DisposableRedis } from '../state/test-fixtures/redis-server.js';
import { ChatClient, openWidgetSocket, type ChatEntry } from '../test/chat-client.js';
import { createPostgresTestDatabase } from '../test/databases.js';
import { sharedInstanceEnv } from '../test/instances.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { createLogger } from './logger.js';
import { startService, type RunningService } from './service.js';

function sharedEnv(databaseUrl: string, redisUrl: string, prefix: string): Record<string, string> {
  return sharedInstanceEnv(prefix, databaseUrl, { WEBCHAT_MESSAGES_PER_MINUTE: '1000', WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '100000' }, redisUrl);
}

/** Customer messages each followed only by bot replies: no turn interleaved with another. */
function turnsInterleaved(entries: ChatEntry[]): boolean {
  let expectingReply = false;
  for (const entry of entries) {
    if (entry.author === 'customer') {
      if (expectingReply) return true;
      expectingReply = true;
    } else expectingReply = false;
  }
  return false;
}

describe('two instances sharing Redis and Postgres', () => {
  let database: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let a: RunningService;
  let b: RunningService;
  const prefix = randomBytes(4).toString('hex');
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    const env = sharedEnv(database.url, TEST_REDIS_URL, prefix);
    a = await startService(loadConfig(env), { log: createLogger('silent') });
    b = await startService(loadConfig(env), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await rm(`/tmp/sb-instances-${prefix}`, { recursive: true, force: true });
  });

  test('turns of one conversation sent to both instances at once never interleave', async () => {
    const onA = await new ChatClient(a.url).start();
    const onB = new ChatClient(b.url);
    onB.token = onA.token;
    const texts = ['hello', 'where is my order?', 'thanks', 'hi', 'bye', 'hello again', 'thank you', 'hey', 'ok thanks', 'good morning'];
    await Promise.all(texts.map((text, i) => (i % 2 === 0 ? onA : onB).say(text)));
    const history = await onA.history();
    expect(history.messages.filter((m) => m.author === 'customer')).toHaveLength(texts.length);
    expect(turnsInterleaved(history.messages)).toBe(false);
    const seqs = history.messages.map((m) => m.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  test("a reply produced on one instance reaches the widget's socket on the other", async () => {
    const client = await new ChatClient(b.url).start();
    const { pushed, close } = await openWidgetSocket(a.url, client.token);
    const sent = await client.say('hello');
    await expect.poll(() => pushed.filter((p) => p.type === 'message').map((p) => p.seq)).toEqual(sent.messages.map((m) => m.seq));
    close();
  });
});

describe('when Redis goes away', () => {
  let redis: DisposableRedis;
  let database: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let service: RunningService;
  const prefix = randomBytes(4).toString('hex');
  beforeAll(async () => {
    redis = await DisposableRedis.start();
    database = await createPostgresTestDatabase();
    service = await startService(loadConfig(sharedEnv(database.url, redis.url, prefix)), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await service?.close();
    await redis?.kill();
    await database?.drop();
    await rm(`/tmp/sb-instances-${prefix}`, { recursive: true, force: true });
  });

  test('readiness fails and messages get 503 (so clients retry) instead of being dropped; both recover when it returns', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('hello');
    await redis.kill();
    await expect.poll(async () => (await fetch(`${service.url}/readyz`)).status, { timeout: 15_000 }).toBe(503);
    const refused = await fetch(`${service.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
      body: JSON.stringify({ id: 'during-outage-1', text: 'where is my order?' }),
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'SB_ERR_UNAVAILABLE' } });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    await redis.restart();
    await expect.poll(async () => (await fetch(`${service.url}/readyz`)).status, { timeout: 20_000 }).toBe(200);
    // The retry of the refused message is processed (exactly once).
    const retried = await client.say('where is my order?', { id: 'during-outage-1' });
    expect(retried.duplicate).toBe(false);
    expect(retried.messages.length).toBeGreaterThan(0);
  });
});
