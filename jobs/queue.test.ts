import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { createPostgresTestDatabase, DATABASE_KINDS, type DatabaseKind } from '../test/databases.js';
import { defineJob } from './job-definition.js';
import { JobQueue } from './queue.js';
import { eventually, silentLog } from './test-fixtures/delivery.js';

/** A database that can be closed and opened again on the same data, as a restart does. */
async function reopenableDatabase(kind: DatabaseKind): Promise<{ open: () => Promise<DatabaseHandle>; dispose: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sb-jobs-'));
    return { open: () => openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') }), dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const created = await createPostgresTestDatabase();
  return { open: () => openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 }), dispose: created.drop };
}

const Payload = z.object({ orderRef: z.string() });

function startQueue(database: DatabaseHandle): JobQueue {
  return new JobQueue({ database, log: silentLog, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, stopTimeoutMs: 2000 });
}

describe.each(DATABASE_KINDS)('job queue on %s', (kind) => {
  let database: Awaited<ReturnType<typeof reopenableDatabase>>;
  let handle: DatabaseHandle;
  let jobs: JobQueue;

  beforeAll(async () => {
    database = await reopenableDatabase(kind);
    handle = await database.open();
    jobs = startQueue(handle);
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.close();
    await database.dispose();
  });

  test('installs pg-boss in its own schema, apart from the application’s tables', async () => {
    const { rows } = await handle.executeSql(`select table_name from information_schema.tables where table_schema = 'pgboss' and table_name in ('job', 'queue', 'version')`, []);
    expect(rows).toHaveLength(3);
    const { rows: publicRows } = await handle.executeSql(`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'job'`, []);
    expect(publicRows).toEqual([{ n: 0 }]);
  });

  test('a job sent before a restart runs after it', async () => {
    const def = defineJob({ name: 'test-restart', schema: Payload });
    await jobs.register(def);
    await jobs.send(def, { orderRef: 'R-1' });
    // The whole process goes: queue and database connection alike.
    await jobs.stop();
    await handle.close();

    handle = await database.open();
    jobs = startQueue(handle);
    await jobs.start();
    await jobs.register(def);
    const seen: Array<z.infer<typeof Payload>> = [];
    await jobs.work(def, async (data) => {
      seen.push(data);
    });
    await eventually(async () => seen.length, (n) => n > 0);
    expect(seen).toEqual([{ orderRef: 'R-1' }]);
  });

  test('a job whose worker died mid-job runs again once it expires', async () => {
    const def = defineJob({ name: 'test-expiry', schema: Payload, expireInSeconds: 1, retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false });
    await jobs.register(def);
    const id = await jobs.send(def, { orderRef: 'R-2' });
    // Another instance takes the job and dies before finishing it: nothing ever completes it.
    const doomed = new PgBoss({ db: handle, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    doomed.on('error', () => undefined);
    await doomed.start();
    const taken = await doomed.fetch<unknown>(def.name);
    expect(taken.map((j) => j.id)).toEqual([id]);
    await doomed.stop({ graceful: false, close: false });

    const runs: Array<{ id: string; retryCount: number }> = [];
    await jobs.work(def, async (_data, job) => {
      runs.push(job);
    });
    await eventually(async () => runs.length, (n) => n > 0);
    expect(runs).toEqual([{ id, retryCount: 1 }]);
  });

  test('a poison job lands in the dead-letter queue after its retries, with a reason code and not the error’s text', async () => {
    const def = defineJob({ name: 'test-poison', schema: Payload, retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false });
    await jobs.register(def);
    let runs = 0;
    await jobs.work(def, async () => {
      runs += 1;
      throw new Error('card 4111 1111 1111 1111 declined for jane@example.com');
    });
    await jobs.send(def, { orderRef: 'R-3' });
    jobs.wake(def);

    const dead = await eventually(
      () => jobs.deadLetters.list(),
      (list) => list.some((j) => j.queue === def.name),
    );
    expect(dead.filter((j) => j.queue === def.name)).toEqual([{ id: expect.any(String), queue: def.name, data: { orderRef: 'R-3' }, reason: 'error', deadSince: expect.any(String) }]);
    expect(runs).toBe(2);
    // Neither the list nor the stored job output keeps what the error said.
    const { rows } = await handle.executeSql(`select output from pgboss.job where name like 'test-poison%'`, []);
    expect(JSON.stringify([dead, rows])).not.toMatch(/jane|4111/);
  });

  test('a payload its worker cannot read is dead-lettered at once, never handled', async () => {
    // An older instance still sends the previous payload shape.
    const current = defineJob({ name: 'test-invalid', schema: z.object({ orderRef: z.string(), lines: z.array(z.number()) }), retryLimit: 3 });
    const previous = defineJob({ name: 'test-invalid', schema: Payload, retryLimit: 3 });
    await jobs.register(current);
    let runs = 0;
    await jobs.work(current, async () => {
      runs += 1;
    });
    await jobs.send(previous, { orderRef: 'R-4' });
    jobs.wake(current);

    const dead = await eventually(
      () => jobs.deadLetters.list(),
      (list) => list.some((j) => j.queue === current.name),
    );
    expect(dead.find((j) => j.queue === current.name)).toMatchObject({ data: { orderRef: 'R-4' }, reason: 'invalid_payload' });
    expect(runs).toBe(0);
  });

  test('send refuses a payload that does not match its schema, and stores nothing', async () => {
    const def = defineJob({ name: 'test-refused', schema: Payload });
    await jobs.register(def);
    await expect(jobs.send(def, { orderRef: 42 } as never)).rejects.toMatchObject({ code: 'SB_ERR_INTERNAL', details: [{ path: 'data.orderRef' }] });
    expect(await jobs.pending(def)).toBe(0);
  });

  test('a delayed job waits for its start time', async () => {
    const def = defineJob({ name: 'test-delayed', schema: Payload });
    await jobs.register(def);
    const started: number[] = [];
    await jobs.work(def, async () => {
      started.push(Date.now());
    });
    const sentAt = Date.now();
    await jobs.send(def, { orderRef: 'R-5' }, { startAfter: new Date(sentAt + 1500) });
    jobs.wake(def);
    await eventually(async () => started.length, (n) => n > 0);
    expect(started[0]! - sentAt).toBeGreaterThanOrEqual(1490);
  });

  test('stop waits for the running job, which completes rather than being run again', async () => {
    const def = defineJob({ name: 'test-stop', schema: Payload });
    await jobs.register(def);
    let release: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (release = resolve));
    let began = false;
    let finished = false;
    await jobs.work(def, async () => {
      began = true;
      await running;
      finished = true;
    });
    const id = await jobs.send(def, { orderRef: 'R-6' });
    jobs.wake(def);
    await eventually(async () => began, (b) => b);

    const stopped = jobs.stop();
    setTimeout(release, 200);
    await stopped;
    expect(finished).toBe(true);
    const { rows } = await handle.executeSql(`select state from pgboss.job where id = $1`, [id]);
    expect(rows).toEqual([{ state: 'completed' }]);
    await expect(jobs.send(def, { orderRef: 'R-7' })).rejects.toMatchObject({ code: 'SB_ERR_SHUTTING_DOWN' });
  });
});
