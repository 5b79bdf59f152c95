import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { freePort } from '../state/test-fixtures/redis-server.js';

test('npm start prints the URLs it serves, serves them, and exits cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-main-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Health:')) resolve();
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    expect(stdout).toContain(`Chat demo:           http://localhost:${port}/`);
    expect(stdout).toContain(`Development outbox:  http://localhost:${port}/dev/outbox (loopback clients only`);
    expect(stdout).toContain(`Agent console:       http://localhost:${port}/agent`);
    expect(stdout).toMatch(/Demo agents: .*supervisor@voltline\.example \(supervisor, support-leads\).*passwords in .*secrets\.json \(demoAgents\)/);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    const outbox = await fetch(`http://127.0.0.1:${port}/dev/outbox`);
    expect(outbox.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}, 90_000);
