import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../core/errors.js';
import { databaseErrorToSwitchboard } from '../db/errors.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { serializeError } from './error-serializer.js';
import { createLogger } from './logger.js';

const CANARIES = ['4111 1111 1111 1111', '4111111111111111', 'cvv 739', 'ada.canary@example.com', '+1 415 555 0199', '12 Analytical Engine Way'];
const CANARY_TEXT = `card 4111 1111 1111 1111 cvv 739, ada.canary@example.com, +1 415 555 0199, 12 Analytical Engine Way`;

function logged(error: unknown): string {
  const lines: string[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  log.error({ err: error }, 'failed');
  log.error(error instanceof Error ? error : new Error('not an error'), 'failed again');
  return lines.join('');
}

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text, canary).not.toContain(canary);
}

describe.each(DATABASE_KINDS)('a %s error in the log', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await sql`create table canary_probe (id int primary key, note text, doc jsonb, n int)`.execute(handle.db);
    await sql`insert into canary_probe values (1, ${CANARY_TEXT}, '{}', 1)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  test.each([
    ['a unique violation (the row is in `detail`)', () => sql`insert into canary_probe values (1, ${CANARY_TEXT}, '{}', 1)`],
    ['a NUL in the text (the parameters are on the error)', () => sql`insert into canary_probe values (2, ${`${CANARY_TEXT}\u0000`}, '{}', 1)`],
    ['a NUL in jsonb (the value is in `where`)', () => sql`insert into canary_probe values (3, 'x', ${JSON.stringify({ text: `${CANARY_TEXT}\u0000` })}::jsonb, 1)`],
    ['a bad number (the value is in the message)', () => sql`insert into canary_probe values (4, 'x', '{}', ${'4111111111111111 ada.canary@example.com'}::int)`],
  ])('%s keeps the code and the constraint and none of the data', async (_name, query) => {
    const error: unknown = await query()
      .execute(handle.db)
      .then(() => new Error('the query was accepted'))
      .catch((caught: unknown) => caught);
    const serialized = serializeError(error);
    expect(serialized.code).toMatch(/^[0-9A-Z]{5}$/);
    expect(JSON.stringify(serialized)).not.toMatch(/params|detail|where|internalQuery/);
    expectNoCanary(logged(error));
  });
});

describe('other errors in the log', () => {
  test.each<[string, () => unknown]>([
    ['JSON.parse quoting the body', () => {
      try {
        JSON.parse(`{"text": "${CANARY_TEXT}`);
      } catch (error) {
        return error;
      }
      return null;
    }],
    ['a body-parser error carrying the raw body', () => Object.assign(new SyntaxError('Unexpected end of JSON input'), { body: CANARY_TEXT, type: 'entity.parse.failed', status: 400 })],
    ['a coded error whose cause is a driver error', () => new SwitchboardError('SB_ERR_UNAVAILABLE', 'The database is unavailable', [{ path: 'database', message: 'x' }], { cause: Object.assign(new Error(`invalid input syntax for type json: "${CANARY_TEXT}"`), { code: '22P02', severity: 'ERROR', detail: CANARY_TEXT, where: CANARY_TEXT }) })],
    ['a plain error quoting customer text', () => new Error(`could not parse "${CANARY_TEXT}" for ada.canary@example.com`)],
    ['a driver message passed as a string', () => `invalid input value for enum status: "${CANARY_TEXT}"`],
  ])('%s', (_name, make) => {
    expectNoCanary(logged(make()));
  });

  test('card numbers, phone numbers and emails go from any message, quoted or not', () => {
    const text = logged(new Error('no customer 4111 1111 1111 1111 / +1 415 555 0199 / ada.canary@example.com'));
    for (const canary of ['4111 1111 1111 1111', '+1 415 555 0199', 'ada.canary@example.com']) expect(text).not.toContain(canary);
  });

  test('a coded error keeps its SB code, message and which fields were at fault', () => {
    const error = databaseErrorToSwitchboard(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))!;
    expect(serializeError(error)).toMatchObject({
      type: 'SwitchboardError',
      code: 'SB_ERR_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly',
      details: ['database'],
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
  });

  test('identifiers a developer needs stay in the message, and the stack keeps its frames', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'conversationId')");
    const serialized = serializeError(error);
    expect(serialized.message).toBe("Cannot read properties of undefined (reading 'conversationId')");
    expect(serialized.stack).toMatch(/^TypeError: Cannot read.*\n\s+at /);
  });
});
