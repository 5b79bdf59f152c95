import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresTestDatabase } from '../../test/databases.js';
import { EXAMPLE_PATH, loadExample } from './test-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run shop (db/cli.ts)', () => {
  let dataDir: string;
  let postgres: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sb-shop-cli-'));
    postgres = await createPostgresTestDatabase();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await postgres.drop();
  });

  /** Embedded PGlite under the temporary DATA_DIR unless a DATABASE_URL is given, as the server decides. */
  function shop(args: string[], databaseUrl = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'db/cli.ts', ...args],
        { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NODE_ENV: 'test' }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
      );
    });
  }

  test('a file that is not JSON exits 1 naming the file and where the JSON breaks', async () => {
    const file = path.join(dataDir, 'broken.json');
    await writeFile(file, '{\n  "customers": [ }\n');
    const { code, stdout, stderr } = await shop(['import', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file} is not valid JSON`);
    expect(stderr).toContain('line 2, column 18');
    expect(stdout).toBe('');
  });

  test('a bad record exits 1 with one line per problem before touching a database; a valid file imports and reports its summary', async () => {
    const bad = loadExample();
    const [first] = bad.customers;
    if (first !== undefined) first.email = 'not-an-email';
    const badFile = path.join(dataDir, 'bad.json');
    await writeFile(badFile, JSON.stringify(bad));
    const rejected = await shop(['import', badFile]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^error SB_ERR_IMPORT: .*nothing was imported$/m);
    expect(rejected.stderr).toMatch(/^ {2}customers\[0\]\.email: .+$/m);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);

    // A fresh on-disk PGlite takes seconds to create; the server's other database kind is quick.
    const ok = await shop(['import', fileURLToPath(EXAMPLE_PATH)], postgres.url);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('customers  inserted 2, updated 0, unchanged 0');
    expect(ok.stdout).toContain('orders     inserted 2, updated 0, unchanged 0');
  });
});
