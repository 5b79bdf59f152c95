import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { DisposablePostgres } from '../test/postgres-server.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './connection.js';

describe.each(DATABASE_KINDS)('database on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('starts with every table of the schema and answers a ping', async () => {
    await expect(handle.ping()).resolves.toBeUndefined();
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public'`.execute(handle.db);
    const names = tables.rows.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['customers', 'orders', 'devices', 'conversations', 'conversation_events', 'throttle_counters', 'outbound_messages']));
  });

  test('running the migrations again changes nothing', async () => {
    await migrateToLatest(handle.db);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(handle.db);
    expect(applied.rows.map((r) => r.name)).toEqual(['0001-shop-and-conversations', '0002-self-service', '0003-throttle-counters', '0004-outbound-messages', '0005-conversation-projection', '0006-status-checks', '0007-inbound-messages', '0008-conversation-effects', '0009-agent-accounts', '0011-customer-passwords', '0012-agent-routing', '0013-customer-security-questions', '0014-outbound-notifications', '0015-return-exchanges', '0016-agent-conversation-views', '0017-customer-profiles', '0018-case-management', '0019-sms-opt-outs', '0020-messaging-windows', '0021-consents-and-shop-events', '0022-case-csat-and-reminders', '0023-incidents']);
  });
});

describe('when Postgres dies under a client that is checked out', () => {
  let postgres: DisposablePostgres;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    postgres = await DisposablePostgres.start();
    handle = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 2 });
  });
  afterAll(async () => {
    await handle?.close();
    await postgres?.dispose();
  });

  test('the open transaction fails, the process lives on, and the pool serves again once it is back', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = handle.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      inside();
      await held;
      await sql`select 2`.execute(trx);
    });
    const outcome = transaction.then(
      () => 'committed',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    await entered;
    // Killing the server ends the checked-out client's socket: pg emits 'error' on that client,
    // which crashes the process unless someone listens.
    await postgres.stop();
    await sleep(200);
    release();
    expect(await outcome).not.toBe('committed');

    await postgres.restart();
    await expect(handle.ping()).resolves.toBeUndefined();
    const rows = await sql<{ n: number }>`select 3 as n`.execute(handle.db);
    expect(rows.rows[0]?.n).toBe(3);
  });
});
