import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { ChatClient, latestCode } from '../test/chat-client.js';
import { createLogger } from './logger.js';
import { startService, type RunningService } from './service.js';

describe('logs', () => {
  let service: RunningService;
  let dataDir: string;
  const lines: string[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-logs-'));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'test' });
    service = await startService(config, { log: createLogger('info', sink) });
  });
  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("carry no customer's email, phone, address or message text at info level", async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('hi, my email is ada@example.com and my phone is +1 415 555 0101');
    await client.say('where is my order? I live at 12 Analytical Engine Way');
    await client.say('ada@example.com');
    const code = (await latestCode(service.url, 'ada@example.com'))!;
    await client.say(code);
    await client.say('I am so angry, this is the third time!!!');
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of ['ada@example.com', '415 555', '+14155550101', 'Analytical Engine', 'third time', 'Lovelace']) {
      expect(log, secret).not.toContain(secret);
    }
    // Development only: the verification code is in the log so a developer can finish the chat.
    expect(log).toContain(`development outbox: verification code ${code}`);
  });

  test('never carry a password-reset link, which would open the account on its own', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('I forgot my password');
    await client.say('ada@example.com');
    const outbox = (await (await fetch(`${service.url}/dev/outbox.json`)).json()) as { messages: Array<{ body: string }> };
    const token = /token=([A-Za-z0-9_-]+)/.exec(outbox.messages[0]?.body ?? '')?.[1];
    expect(token).toBeDefined();
    expect(lines.join('')).not.toContain(token!);
  });
});
