import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isSwitchboardError } from '../core/errors.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { describeStateBackendContract, expectNoInterleaving } from './contract.js';
import { createRedisBackend, createStateBackend } from './index.js';

const prefix = `sb-test:state:${randomUUID()}:`;
const raw = createClient({ url: TEST_REDIS_URL });
raw.on('error', () => undefined);

beforeAll(async () => {
  await raw.connect();
});

afterAll(async () => {
  const keys: string[] = [];
  for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length > 0) await raw.del(keys);
  await raw.close();
});

describeStateBackendContract('Redis', () => createRedisBackend({ url: TEST_REDIS_URL, keyPrefix: prefix }));

describe('Redis state backend', () => {
  test('a turn in another server process and turns here never overlap, and its lock frees itself when that process is killed', async () => {
    const state = await createRedisBackend({ url: TEST_REDIS_URL, keyPrefix: prefix });
    const lockKey = `conv:${randomUUID()}`;
    const logKey = `${prefix}log:${randomUUID()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./test-fixtures/lock-contender.ts', import.meta.url))], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, PREFIX: prefix, LOCK_KEY: lockKey, LOG_KEY: logKey, TURNS: '20' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const said = lines(child);
    try {
      await said('ready');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          state.locks.withLock(
            lockKey,
            async () => {
              await raw.rPush(logKey, `start parent ${i}`);
              await raw.rPush(logKey, `end parent ${i}`);
            },
            { waitMs: 20_000 },
          ),
        ),
      );
      await said('done');
      expectNoInterleaving(await raw.lRange(logKey, 0, -1), 40);

      child.stdin?.write('hold\n');
      await said('holding');

      const whileHeld = await state.locks.withLock(lockKey, async () => 'ran', { waitMs: 0 }).catch((caught: unknown) => caught);
      expect(isSwitchboardError(whileHeld) && whileHeld.code).toBe('SB_ERR_LOCK_TIMEOUT');
      child.kill('SIGKILL');
      await expect(state.locks.withLock(lockKey, async () => 'ran after the holder died', { waitMs: 5_000 })).resolves.toBe(
        'ran after the holder died',
      );
    } finally {
      child.kill('SIGKILL');
      await state.close();
    }
  });

  test('every key and channel the backend writes starts with the configured prefix', async () => {
    const state = await createRedisBackend({ url: TEST_REDIS_URL, keyPrefix: prefix });
    const marker = randomUUID();
    const published: string[] = [];
    const listener = raw.duplicate();
    listener.on('error', () => undefined);
    await listener.connect();
    await listener.pSubscribe(`*${marker}*`, (_message, channel) => published.push(channel));
    try {
      await state.idempotency.claim(`SM${marker}`, 60_000);
      await state.snapshots.set(`conv${marker}`, '{}', 0, 60_000);
      await state.counters.hit(`ip${marker}`, 60_000);
      await state.pubsub.publish(`socket${marker}`, 'hello');
      const keys: string[] = [];
      for await (const batch of raw.scanIterator({ MATCH: `*${marker}*`, COUNT: 1000 })) keys.push(...batch);
      expect(keys).toHaveLength(3);
      for (const written of keys) expect(written.startsWith(prefix)).toBe(true);
      await waitUntil(() => published.length === 1);
      expect(published[0]?.startsWith(prefix)).toBe(true);
    } finally {
      await listener.close();
      await state.close();
    }
  });

  test('with REDIS_URL set the service shares its state through Redis', async () => {
    const state = await createStateBackend({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    expect(state.kind).toBe('redis');
    await state.close();
  });
});

/** Every line the child prints, from the start; `said(text)` resolves once it has printed `text`. */
function lines(child: ChildProcess): (expected: string) => Promise<void> {
  let printed: string[] = [];
  let buffered = '';
  let exit: number | null | undefined;
  const waiting = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    printed = buffered.split('\n');
    for (const check of waiting) check();
  });
  child.once('exit', (code) => {
    exit = code;
    for (const check of waiting) check();
  });
  return (expected) =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (printed.includes(expected)) {
          waiting.delete(check);
          resolve();
        } else if (exit !== undefined) {
          waiting.delete(check);
          reject(new Error(`the contender exited (${exit}) before printing "${expected}"`));
        }
      };
      waiting.add(check);
      check();
    });
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
