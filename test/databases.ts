import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { TEST_DATABASE_URL } from './services.js';

/**
 * A fresh database on the real Postgres server for one test file, dropped afterwards,
 * so test files run in parallel without seeing each other's rows.
 */
export async function createPostgresTestDatabase(options: { template?: string } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // A copy of a stopped service's database (test/service-templates.ts), or an empty one.
    await admin.query(options.template !== undefined ? `create database ${name} template ${pg.escapeIdentifier(options.template)}` : `create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The two database kinds every data-layer suite runs against. */
export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export async function openTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle & { dispose: () => Promise<void> }> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ kind: 'pglite' });
    return { ...handle, dispose: () => handle.close() };
  }
  const created = await createPostgresTestDatabase();
  const handle = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
  return {
    ...handle,
    dispose: async () => {
      await handle.close();
      await created.drop();
    },
  };
}
