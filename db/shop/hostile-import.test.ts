import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { openTestDatabase } from '../../test/databases.js';
import { importShop, parseShopImport } from './import.js';
import { readJsonFile } from './json-file.js';
import { countShopRows, loadExample } from './test-helpers.js';

const blank = (): Record<string, unknown> => ({});

async function importFailure(run: () => Promise<unknown>): Promise<SwitchboardError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  expect((error as SwitchboardError).code).toBe('SB_ERR_IMPORT');
  return error as SwitchboardError;
}

/** The example file as text with `insert` spliced in after the first `"customers": [{` and the first `"shippingAddress": {`. */
function hostileExample(insert: { customer?: string; address?: string; root?: string }): string {
  let text = JSON.stringify(loadExample(), null, 2);
  if (insert.customer !== undefined) text = text.replace(/"customers": \[\s*\{/, (m) => `${m}${insert.customer},`);
  if (insert.address !== undefined) text = text.replace(/"shippingAddress": \{/, (m) => `${m}${insert.address},`);
  if (insert.root !== undefined) text = text.replace(/^\{/, `{${insert.root},`);
  return text;
}

describe('shop import files are data: no prototype pollution, no unknown keys, bounded size', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let dir: string;
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    dir = await mkdtemp(path.join(tmpdir(), 'sb-shop-import-'));
  });
  afterAll(async () => {
    await handle?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  test.each([
    ['a __proto__ key in a customer', { customer: '"__proto__": {"vip": true, "isAdmin": true}' }, 'customers[0]', '"__proto__"'],
    ['a constructor.prototype key in a customer', { customer: '"constructor": {"prototype": {"isAdmin": true}}' }, 'customers[0]', '"constructor"'],
    ['a __proto__ key in an order address', { address: '"__proto__": {"country": "ZZ"}' }, 'orders[0].shippingAddress', '"__proto__"'],
    ['a __proto__ key at the top', { root: '"__proto__": {"customers": []}' }, '(root)', '"__proto__"'],
  ])('%s is refused naming the record; nothing is written and Object.prototype is untouched', async (_name, insert, field, key) => {
    const file = path.join(dir, 'hostile.json');
    await writeFile(file, hostileExample(insert));
    const before = await countShopRows(handle.db);
    const data = await readJsonFile(file);
    const error = await importFailure(() => importShop(handle.db, data));
    expect(error.details).toContainEqual({ path: field, message: expect.stringContaining(key) as string });
    expect(() => parseShopImport(data)).toThrowError(SwitchboardError);
    expect(await countShopRows(handle.db)).toEqual(before);
    expect([blank().isAdmin, blank().vip, blank().country, blank().customers]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('a file over the size limit is refused before it is read', async () => {
    const file = path.join(dir, 'big.json');
    await writeFile(file, JSON.stringify(loadExample()));
    const error = await importFailure(() => readJsonFile(file, 1000));
    expect(error.details).toEqual([{ path: file, message: expect.stringMatching(/^is \d+ bytes; the limit is 1000$/) as string }]);
  });

  test('deeply nested JSON is refused as a shape error, not a crash', async () => {
    const file = path.join(dir, 'deep.json');
    await writeFile(file, `{"customers": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const error = await importFailure(async () => importShop(handle.db, await readJsonFile(file)));
    expect(error.details[0]?.path).toBe('customers[0]');
    const broken = path.join(dir, 'deep-broken.json');
    await writeFile(broken, `{"customers": ${'['.repeat(100_000)}`);
    await importFailure(() => readJsonFile(broken));
  });
});
