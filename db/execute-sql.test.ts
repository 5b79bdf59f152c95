import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { transactionExecutor } from './connection.js';

describe.each(DATABASE_KINDS)('raw SQL for libraries (pg-boss) on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const count = async (key: string) => {
    const { rows } = await handle.executeSql('select count(*)::int as n from throttle_counters where key = $1', [key]);
    return rows;
  };

  test('binds parameters in one statement, and runs a script of several without', async () => {
    expect((await handle.executeSql('select $1::int + $2::int as sum', [2, 3])).rows).toEqual([{ sum: 5 }]);
    const script = await handle.executeSql(`
      begin;
      insert into throttle_counters (key, count, expires_at) values ('script', 1, now() + interval '1 hour');
      select count from throttle_counters where key = 'script';
      commit;`);
    expect(script.rows).toEqual([]);
    expect(await count('script')).toEqual([{ n: 1 }]);
  });

  test('a script that fails inside its transaction stores nothing and leaves the database usable', async () => {
    for (let i = 0; i < 5; i += 1) {
      await expect(
        handle.executeSql(`begin; insert into throttle_counters (key, count, expires_at) values ('broken', 1, now()); select 1/0; commit;`),
      ).rejects.toThrow(/division by zero/);
    }
    expect(await count('broken')).toEqual([{ n: 0 }]);
    // Every pooled session (the only one, on PGlite) still answers, outside any aborted transaction.
    const answers = await Promise.all(Array.from({ length: 8 }, () => handle.db.selectFrom('throttle_counters').select('key').limit(1).execute()));
    expect(answers).toHaveLength(8);
  });

  test('raw SQL never lands inside a transaction the application has open', async () => {
    let seenInside: Promise<unknown[]> | null = null;
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('throttle_counters').values({ key: 'uncommitted', count: 1, expires_at: new Date() }).execute();
        seenInside = count('uncommitted');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await seenInside).toEqual([{ n: 0 }]);
  });

  test('a transaction executor writes with the caller’s transaction', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await transactionExecutor(trx).executeSql(`insert into throttle_counters (key, count, expires_at) values ($1, 1, now())`, ['with-trx']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count('with-trx')).toEqual([{ n: 0 }]);
  });
});
