import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, textOf } from '../test/chat-client.js';
import { createPostgresTestDatabase } from '../test/databases.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { SmtpSink } from '../test/smtp-sink.js';
import { freePort } from '../state/test-fixtures/redis-server.js';
import { buildProduction, REPO_ROOT, SHIPPED_CONTENT } from './build.js';

/**
 * `npm run build` then `npm run start:prod`, the way an operator runs it: the compiled tree is
 * copied away from the sources (only node_modules is shared), started with plain `node` and no
 * loader, in production, on Postgres and Redis, and holds one conversation (its code by email).
 */
describe('the production build', () => {
  let root: string;
  let dist: string;
  let server: ChildProcessByStdio<null, Readable, Readable> | undefined;
  let exited: Promise<number | null>;
  let output = '';
  let dropDatabase = async (): Promise<void> => undefined;
  let baseUrl: string;
  // Production delivers codes for real: by email, to a loopback mail server.
  let mail: SmtpSink;

  beforeAll(async () => {
    mail = await new SmtpSink().start();
    root = await mkdtemp(path.join(os.tmpdir(), 'sb-build-'));
    dist = path.join(root, 'dist');
    await buildProduction(dist);
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const database = await createPostgresTestDatabase();
    dropDatabase = database.drop;
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(dist, 'server/main.js')], {
      cwd: root,
      // Not the test runner's environment: no NODE_OPTIONS loader, nothing but what an operator sets.
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(root, 'data'),
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: `sbbuild:${randomBytes(6).toString('hex')}:`,
        SESSION_SECRET: randomBytes(24).toString('hex'),
        SMTP_URL: mail.url(),
        MAIL_FROM: 'Voltline Support <support@voltline.example>',
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = server;
    exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Health:')) resolve();
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      void exited.then((code) => reject(new Error(`the compiled server exited with ${code}: ${output}`)));
    });
  }, 420_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await dropDatabase();
    await mail?.stop();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  test('ships compiled production code and its content, and no tests, fixtures or TypeScript', async () => {
    const files = (await readdir(dist, { recursive: true })).map((f) => f.split(path.sep).join('/'));
    expect(files.filter((f) => /\.test\.|test-fixtures|test-helpers|vitest|bench\/|^test\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const item of SHIPPED_CONTENT) await access(path.join(dist, item));
    expect(files).toContain('consoles/agent/prebuilt/index.html');
  });

  test('starts with plain node in production and holds a conversation: an order status, verified by a one-time code', async () => {
    expect(output).toContain('Switchboard is running.');
    expect(output).toContain('Postgres (DATABASE_URL)');
    expect(output).toContain('Redis (REDIS_URL)');
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/widget.js`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/agent`)).status).toBe(200);
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toContain('# TYPE switchboard_turn_duration_seconds histogram');

    const client = await new ChatClient(baseUrl).start();
    const claim = await client.say('has 100234 shipped yet?');
    expect(textOf(claim)).toMatch(/6-digit code/);
    expect(textOf(claim)).not.toMatch(/UPS|track/i);
    const code = await mail.latestCode('ada@example.com');
    expect(code).toMatch(/^\d{6}$/);
    // No development outbox in production.
    expect((await fetch(`${baseUrl}/dev/outbox.json`)).status).toBe(404);
    const answer = textOf(await client.say(code));
    expect(answer).toMatch(/Order 100234: Shipped/);
    expect(answer).toMatch(/UPS/);
  });

  test('stops cleanly on SIGTERM', async () => {
    server?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
