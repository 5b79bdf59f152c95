/**
 * `npm run bench:turns [-- --deployment embedded|redis+postgres --clients 50 --seconds 10 --rate 500]`
 *
 * Drives many concurrent web-chat conversations over HTTP through the whole turn (NLU, flow,
 * state, transcript persisted), beside a bare express JSON echo measured in the same run.
 * Both servers run as child processes so the load generator doesn't share their event loop.
 * Prints one JSON line per measurement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPostgresTestDatabase } from '../test/databases.js';
import { TEST_REDIS_URL } from '../test/services.js';
import { postJson, round, runLoad, type LoadResult } from './load.js';

const { values: args } = parseArgs({
  options: {
    deployment: { type: 'string', default: 'embedded' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
  },
});
const clients = Number(args.clients);
const seconds = Number(args.seconds);
const rate = Number(args.rate);
const deployment = args.deployment === 'redis+postgres' ? 'redis+postgres' : 'embedded';

/** What simulated customers say, in order; each line is a full turn. */
const SCRIPT = ['hi there', 'where is my order?', "I don't have the number", 'can I return my headphones', 'thanks', 'what time do you open', 'bye'];

function start(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const echo = /listening (\d+)/.exec(out);
      const service = /Chat demo:\s+http:\/\/[^:]+:(\d+)\//.exec(out);
      const port = echo?.[1] ?? service?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
}

async function rssMB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function line(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record) + '\n');
}

async function benchEcho(): Promise<LoadResult> {
  const { child, port } = await start('bench/echo-server.ts', { PORT: '0' });
  try {
    const body = { id: 'x', text: 'where is my order?' };
    const result = await runLoad({ clients, seconds, createSession: async () => ({ next: () => postJson(port, '/echo', body).then((r) => r.status) }) });
    line({ system: 'echo', ...result, rssMB: await rssMB(child.pid!) });
    return result;
  } finally {
    await stop(child);
  }
}

async function benchSwitchboard(echo: LoadResult): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-bench-'));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WEBCHAT_MESSAGES_PER_MINUTE: '100000',
    WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '1000000',
    WEBCHAT_SESSIONS_PER_HOUR: '100000',
  };
  let drop = async (): Promise<void> => undefined;
  if (deployment === 'redis+postgres') {
    const db = await createPostgresTestDatabase();
    drop = db.drop;
    Object.assign(env, { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `sbbench:${randomBytes(4).toString('hex')}:` });
  }
  const { child, port } = await start('server/main.ts', env);
  try {
    const createSession = async () => {
      const session = await postJson(port, '/api/webchat/sessions', {});
      const { token } = JSON.parse(session.body) as { token: string };
      // The first turn of a conversation also creates the contact and conversation rows; warm
      // every client up once so the figures are steady-state turns (first turns: see docs).
      await postJson(port, '/api/webchat/messages', { id: randomBytes(9).toString('base64url'), text: 'hello' }, { authorization: `Bearer ${token}` });
      let turn = 0;
      return {
        next: async () => {
          const text = SCRIPT[turn % SCRIPT.length]!;
          turn += 1;
          const res = await postJson(port, '/api/webchat/messages', { id: randomBytes(9).toString('base64url'), text }, { authorization: `Bearer ${token}` });
          return res.status;
        },
      };
    };
    const open = await runLoad({ clients, seconds, createSession });
    line({
      system: 'switchboard',
      deployment,
      mode: 'max',
      clients,
      turnsPerSecond: open.perSecond,
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
      errors: open.errors,
      ratioToEcho: round(open.perSecond / echo.perSecond),
      rssMB: await rssMB(child.pid!),
    });
    const paced = await runLoad({ clients, seconds, rate, createSession });
    line({
      system: 'switchboard',
      deployment,
      mode: `${rate}/s`,
      clients,
      turnsPerSecond: paced.perSecond,
      p50Ms: paced.p50Ms,
      p99Ms: paced.p99Ms,
      errors: paced.errors,
      rssMB: await rssMB(child.pid!),
    });
  } finally {
    await stop(child);
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const echo = await benchEcho();
await benchSwitchboard(echo);
process.exit(0);
