import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../state/test-fixtures/redis-server.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { TEST_DATABASE_URL } from '../test/services.js';
import { openDatabase } from './connection.js';
import { classifyDatabaseError, databaseErrorToSwitchboard, type DatabaseFault } from './errors.js';

function driverError(fields: Record<string, unknown>, message = 'driver said no'): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifyDatabaseError', () => {
  test.each<[string, unknown, DatabaseFault['kind'] | null]>([
    ['connection refused', driverError({ code: 'ECONNREFUSED' }), 'unavailable'],
    ['connection reset', driverError({ code: 'ECONNRESET' }), 'unavailable'],
    ['every address refused (AggregateError)', new AggregateError([driverError({ code: 'ECONNREFUSED' })], 'connect failed'), 'unavailable'],
    ['admin shutdown 57P01', driverError({ code: '57P01', severity: 'FATAL' }), 'unavailable'],
    ['crash shutdown 57P02', driverError({ code: '57P02', severity: 'FATAL' }), 'unavailable'],
    ['cannot connect now 57P03', driverError({ code: '57P03', severity: 'FATAL' }), 'unavailable'],
    ['connection exception 08006', driverError({ code: '08006' }), 'unavailable'],
    ['connection does not exist 08003', driverError({ code: '08003' }), 'unavailable'],
    ['too many connections 53300', driverError({ code: '53300', severity: 'FATAL' }), 'unavailable'],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['connect timeout (with a cause)', new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }), 'unavailable'],
    ['server went away mid-query', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['client broken', new Error('Client has encountered a connection error and is not queryable'), 'unavailable'],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool'), 'unavailable'],
    ['PGlite closed', new Error('PGlite is closed'), 'unavailable'],
    ['Kysely destroyed', new Error('driver has already been destroyed'), 'unavailable'],
    ['wrapped in a cause', new Error('query failed', { cause: driverError({ code: 'ECONNREFUSED' }) }), 'unavailable'],
    ['unique violation', driverError({ code: '23505', constraint: 'conversation_events_provider_msg_idx' }), 'unique_violation'],
    ['serialization failure 40001', driverError({ code: '40001' }), 'retryable_conflict'],
    ['deadlock 40P01', driverError({ code: '40P01' }), 'retryable_conflict'],
    ['NUL in text 22021', driverError({ code: '22021' }), 'unstorable_text'],
    ['NUL in jsonb 22P05', driverError({ code: '22P05' }), 'unstorable_text'],
    ['lone surrogate in jsonb', driverError({ code: '22P02', routine: 'json_errsave_error' }), 'unstorable_text'],
    ['some other syntax error 22P02', driverError({ code: '22P02', routine: 'pg_strtoint32_safe' }), null],
    ['a bug (undefined column)', driverError({ code: '42703' }), null],
    ['not an error at all', 'nope', null],
    ['a TypeError', new TypeError('x is undefined'), null],
  ])('%s', (_name, error, kind) => {
    expect(classifyDatabaseError(error)?.kind ?? null).toBe(kind);
  });

  test('an unavailable database becomes SB_ERR_UNAVAILABLE with a Retry-After; a unique violation is left to the caller', () => {
    const unavailable = databaseErrorToSwitchboard(driverError({ code: '57P01' }));
    expect(unavailable?.code).toBe('SB_ERR_UNAVAILABLE');
    expect(unavailable?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(databaseErrorToSwitchboard(driverError({ code: '23505' }))).toBeNull();
  });

  test('a deadlock or serialization failure is "busy, try again" (503 with Retry-After), not a 500', () => {
    const busy = databaseErrorToSwitchboard(driverError({ code: '40P01' }));
    expect(busy).toMatchObject({ code: 'SB_ERR_LOCK_TIMEOUT', status: 503 });
    expect(busy?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe.each(DATABASE_KINDS)('what %s really raises', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await sql`create table fault_probe (id int primary key, note text, doc jsonb)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  test.each<[string, Record<string, unknown>, DatabaseFault['kind']]>([
    ['a NUL in a text column', { id: 1, note: 'card 4111\u0000', doc: '{}' }, 'unstorable_text'],
    ['a NUL in jsonb', { id: 1, note: 'ok', doc: JSON.stringify({ text: 'a\u0000' }) }, 'unstorable_text'],
    ['a lone surrogate in jsonb', { id: 1, note: 'ok', doc: JSON.stringify({ text: '\ud800' }) }, 'unstorable_text'],
  ])('%s', async (_name, row, expected) => {
    const error = await sql`insert into fault_probe values (${row.id}, ${row.note}, ${row.doc}::jsonb)`.execute(handle.db).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(classifyDatabaseError(error)?.kind).toBe(expected);
  });

  test('a second row with the same key is a unique violation naming its constraint', async () => {
    await sql`insert into fault_probe values (7, 'first', '{}')`.execute(handle.db);
    const error: unknown = await sql`insert into fault_probe values (7, 'again', '{}')`.execute(handle.db).catch((caught: unknown) => caught);
    expect(classifyDatabaseError(error)).toEqual({ kind: 'unique_violation', constraint: 'fault_probe_pkey' });
  });
});

test('a Postgres nobody listens on, and a closed PGlite, are unavailable', async () => {
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`, connectionTimeoutMillis: 2000 });
  const refused: unknown = await pool.query('select 1').catch((caught: unknown) => caught);
  await pool.end();
  expect(classifyDatabaseError(refused)?.kind).toBe('unavailable');

  const pglite = await openDatabase({ kind: 'pglite' });
  await pglite.close();
  const closed: unknown = await sql`select 1`.execute(pglite.db).catch((caught: unknown) => caught);
  expect(classifyDatabaseError(closed)?.kind).toBe('unavailable');
});

test('a server that accepts but never answers, and a pool with no free client, time out as unavailable', async () => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const hanging = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 300 });
  const connectTimeout: unknown = await hanging.query('select 1').catch((caught: unknown) => caught);
  await hanging.end();
  silent.close();
  expect(classifyDatabaseError(connectTimeout)?.kind).toBe('unavailable');

  const busy = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1, connectionTimeoutMillis: 300 });
  const held = await busy.connect();
  const poolTimeout: unknown = await busy.query('select 1').catch((caught: unknown) => caught);
  held.release();
  await busy.end();
  expect(classifyDatabaseError(poolTimeout)?.kind).toBe('unavailable');
});
