import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FailpointName } from '../core/failpoints.js';
import { ChatClient, textOf } from '../test/chat-client.js';
import { createPostgresTestDatabase } from '../test/databases.js';
import { freePort } from '../state/test-fixtures/redis-server.js';

const ADA_EMAIL = 'ada@example.com';
const SESSION_SECRET = randomBytes(24).toString('hex');

interface Server {
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real service in its own process (`server/main.ts`), on a database that outlives it. */
async function startServer(databaseUrl: string, dataDir: string, failpoint?: FailpointName): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...(failpoint !== undefined ? { SB_FAILPOINT: failpoint } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Health:')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`the server exited early (${code}): ${stdout}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, exited };
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

/** The codes the outbox holds for `to`, oldest first, read from the database both runs share. */
async function codesSentTo(databaseUrl: string, to: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ body: string }>('select body from outbox_messages where recipient = $1 order by id', [to]);
    return rows.map((r) => /\b(\d{6})\b/.exec(r.body)?.[1] ?? '');
  } finally {
    await client.end();
  }
}

async function customerLines(client: ChatClient): Promise<string[]> {
  return (await client.history()).messages.filter((m) => m.author === 'customer').map((m) => (m.message.kind === 'text' ? m.message.text : ''));
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * kill -9 at each step of a turn that sends a one-time code (an effect), then a restart on the
 * same database: the customer's widget retries the message it got no answer to, as it does.
 * Every acknowledged message is stored once, the code goes out exactly once, and it works.
 */
describe.each<FailpointName>(['before-commit-with-effects', 'after-commit-with-effects', 'after-effect-sent'])('a server killed at %s', (point) => {
  let database: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let dataDir: string;
  let server: Server | undefined;
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-crash-'));
  });
  afterAll(async () => {
    if (server !== undefined) await stop(server);
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  test('loses no message, sends the code exactly once, and the code verifies after the restart', async () => {
    server = await startServer(database.url, dataDir, point);
    const client = await new ChatClient(server.url).start();
    expect(textOf(await client.say('where is my order?'))).toMatch(/order number/i);
    const claimId = randomUUID().replaceAll('-', '');
    // The turn that decides the code; the process dies at the failpoint, before or after answering.
    await client.say('100234', { id: claimId }).catch(() => undefined);
    const death = await server.exited;
    expect(death.signal).toBe('SIGKILL');

    server = await startServer(database.url, dataDir);
    const resumed = new ChatClient(server.url);
    resumed.token = client.token;
    // The widget sends what it got no answer to again, with the same id: stored once either way.
    await resumed.say('100234', { id: claimId });
    const codes = await until(() => codesSentTo(database.url, ADA_EMAIL), (sent) => sent.length > 0);
    // Give a repeated send the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await codesSentTo(database.url, ADA_EMAIL)).toEqual(codes);
    expect(codes).toHaveLength(1);
    expect(await customerLines(resumed)).toEqual(['where is my order?', '100234']);

    const answer = await resumed.say(codes[0]!);
    expect(textOf(answer)).toMatch(/Order 100234: Shipped/);
  }, 120_000);
});
