import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { migrateToLatest } from './connection.js';

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
    expect(applied.rows.map((r) => r.name)).toEqual(['0001-shop-and-conversations', '0002-self-service', '0003-throttle-counters', '0004-outbound-messages', '0005-conversation-projection', '0006-status-checks', '0007-inbound-messages']);
  });
});
