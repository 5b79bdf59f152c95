import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { SwitchboardError } from '../core/errors.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * Raw SQL for libraries that bring their own statements (pg-boss). With `values` the text is
 * one statement binding $1…; without, it may be a script of several (no parameters).
 */
export interface SqlExecutor {
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DatabaseHandle extends SqlExecutor {
  readonly db: Kysely<Database>;
  readonly kind: 'pglite' | 'postgres';
  /** Rejects when the database does not answer (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseLocation =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** `dataDir` undefined = in memory (tests, benchmarks). */
  | { kind: 'pglite'; dataDir?: string };

/** Opens the database and brings its schema up to date. */
export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  const handle = location.kind === 'postgres' ? openPostgres(location.url, location.poolSize) : await openPglite(location.dataDir);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

function openPostgres(url: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // A server restart ends every client's socket and pg emits 'error' on each. The pool listens on
  // idle clients only; a checked-out one (a transaction, a script) has no listener while out, and
  // an unheard 'error' ends the process. Its queries fail on their own and the pool drops it on
  // release, so one listener for the client's whole life is all that is needed.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    executeSql: async (text, values) => {
      if (values !== undefined && values.length > 0) return { rows: (await pool.query(text, [...values])).rows as unknown[] };
      // A script runs on one client; one that failed inside BEGIN leaves that session aborted,
      // so it is rolled back before the client goes back to the pool the app shares.
      const client = await pool.connect();
      try {
        return { rows: lastRows(await client.query(text)) };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    ping: () => sql`select 1`.execute(db).then(() => undefined),
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  if (dataDir !== undefined) await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  // pg_trgm and unaccent back the fuzzy profile search (migration 0017); Postgres ships them as contrib.
  const extensions = { pg_trgm, unaccent };
  const pglite = dataDir === undefined ? new PGlite({ extensions }) : new PGlite(path.resolve(dataDir), { extensions });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // PGlite is one session: raw SQL takes Kysely's connection, so it never lands inside a
    // transaction Kysely has open (a script's COMMIT would commit that transaction's half).
    executeSql: (text, values) =>
      db.connection().execute(async (conn) => {
        if (values !== undefined && values.length > 0) return { rows: (await conn.executeQuery(CompiledQuery.raw(text, [...values]))).rows };
        // `query` takes one statement; `exec` takes scripts. A failed script would leave the
        // only session in an aborted transaction for every later query.
        try {
          return { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] };
        } catch (error) {
          await pglite.exec('rollback').catch(() => undefined);
          throw error;
        }
      }),
    ping: () => sql`select 1`.execute(db).then(() => undefined),
    close: () => db.destroy(),
  };
}

/** pg answers a script with one result per statement; pg-boss reads the last one. */
function lastRows(result: pg.QueryResult | pg.QueryResult[]): unknown[] {
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as unknown[];
}

/**
 * Raw single statements on a Kysely executor (a transaction), so a library's writes commit or
 * roll back with the caller's (pg-boss `send(…, { db })` inside the turn's transaction).
 */
export function transactionExecutor(db: Pick<Kysely<Database>, 'executeQuery'>): SqlExecutor {
  return {
    executeSql: async (text, values) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, [...(values ?? [])]))).rows }),
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new SwitchboardError('SB_ERR_UNAVAILABLE', `Database migration ${failed} failed: ${String(error)}`, [], {
      cause: error,
    });
  }
}
