import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { ThrottleRepository } from './throttles.js';

const MINUTE = 60_000;

describe.each(DATABASE_KINDS)('durable throttle counters (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: ThrottleRepository;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    repo = new ThrottleRepository(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const t0 = new Date('2030-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  test('fifty concurrent hits on one key are each counted once', async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => repo.hit([{ key: 'race', windowMs: 15 * MINUTE }], t0)));
    expect(counts.map((c) => c[0]!.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await repo.peek(['race'], t0)).toEqual([{ key: 'race', count: 50, resetsAt: at(15 * MINUTE) }]);
  });

  test('concurrent hits on the same keys in different orders neither deadlock nor lose counts', async () => {
    const keys = ['k:a', 'k:b', 'k:c'];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => repo.hit((i % 2 === 0 ? keys : [...keys].reverse()).map((key) => ({ key, windowMs: MINUTE })), t0)),
    );
    expect((await repo.peek(keys, t0)).map((c) => c.count)).toEqual([20, 20, 20]);
  });

  test('a window starts at the first hit and ends after its length; then counting starts again', async () => {
    const hit = (ms: number) => repo.hit([{ key: 'window', windowMs: 15 * MINUTE }], at(ms));
    expect(await hit(0)).toEqual([{ key: 'window', count: 1, resetsAt: at(15 * MINUTE) }]);
    expect(await hit(14 * MINUTE)).toEqual([{ key: 'window', count: 2, resetsAt: at(15 * MINUTE) }]);
    expect(await repo.peek(['window'], at(15 * MINUTE))).toEqual([]);
    expect(await hit(16 * MINUTE)).toEqual([{ key: 'window', count: 1, resetsAt: at(31 * MINUTE) }]);
  });

  test('one call may hit keys with different windows, and a duplicated key counts once', async () => {
    const counts = await repo.hit(
      [
        { key: 'short', windowMs: MINUTE },
        { key: 'long', windowMs: 60 * MINUTE },
        { key: 'short', windowMs: MINUTE },
      ],
      t0,
    );
    expect(counts.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'long', count: 1, resetsAt: at(60 * MINUTE) },
      { key: 'short', count: 1, resetsAt: at(MINUTE) },
    ]);
    expect(await repo.peek(['short', 'long', 'never-hit'], at(2 * MINUTE))).toEqual([{ key: 'long', count: 1, resetsAt: at(60 * MINUTE) }]);
  });

  test('sweeping deletes ended windows only', async () => {
    await repo.hit([{ key: 'sweep:old', windowMs: MINUTE }], t0);
    await repo.hit([{ key: 'sweep:new', windowMs: 60 * MINUTE }], t0);
    expect(await repo.sweep(at(30 * MINUTE))).toBeGreaterThanOrEqual(1);
    const left = await handle.db.selectFrom('throttle_counters').select('key').where('key', 'like', 'sweep:%').execute();
    expect(left.map((r) => r.key)).toEqual(['sweep:new']);
  });
});
