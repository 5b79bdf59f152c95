/**
 * A second server process for the cross-process lock test. It takes turns on LOCK_KEY,
 * logging each critical section to the Redis list LOG_KEY, prints "done", and when told
 * "hold" on stdin takes the lock once more with a short ttl and holds it until it is killed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { createRedisBackend } from '../index.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}

const url = env('REDIS_URL');
const lockKey = env('LOCK_KEY');
const logKey = env('LOG_KEY');
const turns = Number(env('TURNS'));

const state = await createRedisBackend({ url, keyPrefix: env('PREFIX') });
const log = createClient({ url });
log.on('error', () => undefined);
await log.connect();
process.stdout.write('ready\n');

for (let i = 0; i < turns; i++) {
  await state.locks.withLock(
    lockKey,
    async () => {
      await log.rPush(logKey, `start child ${i}`);
      await sleep(1);
      await log.rPush(logKey, `end child ${i}`);
    },
    { waitMs: 20_000 },
  );
}

process.stdout.write('done\n');
await new Promise<void>((resolve) => {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    if (input.split('\n').includes('hold')) resolve();
  });
});

await state.locks.withLock(
  lockKey,
  async () => {
    process.stdout.write('holding\n');
    await new Promise(() => setInterval(() => undefined, 60_000)); // until SIGKILL
  },
  { ttlMs: 800, waitMs: 20_000 },
);
