import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { articleSource } from '../knowledge/store/testArticles.js';
import { startTestService, type TestService } from '../test/service.js';
import { EditorClient } from '../test/editor-client.js';
import { createLogger } from './logger.js';
import { startService, type RunningService } from './service.js';

const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const QUESTION = 'my zorbulator gasket squeaks, what now?';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 100): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('publishing with two instances sharing Redis and Postgres', () => {
  let first: TestService;
  let second: RunningService;
  let secondDataDir: string;
  beforeAll(async () => {
    first = await startTestService('redis+postgres', { ADMIN_TOKEN });
    secondDataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-test-'));
    second = await startService(loadConfig({ ...first.env, DATA_DIR: secondDataDir }), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await second?.close();
    await first?.dispose();
    if (secondDataDir !== undefined) await rm(secondDataDir, { recursive: true, force: true });
  });

  test('the shipped articles are imported once, not once per instance', async () => {
    const { json } = await new EditorClient(second.url, ADMIN_TOKEN).call('GET', '/articles/camera-offline/versions');
    expect((json as { versions: unknown[] }).versions).toHaveLength(1);
  });

  test('an article published on one instance is what the bot on the other retrieves', async () => {
    const one = new EditorClient(first.url, ADMIN_TOKEN);
    const two = new EditorClient(second.url, ADMIN_TOKEN);
    const source = articleSource('zorbulator-gasket', { body: 'A squeaking zorbulator gasket needs two drops of silicone grease; never use oil on the gasket.' });
    expect((await one.call('POST', '/articles', { source })).status).toBe(201);
    expect(await two.searchIds(QUESTION)).not.toContain('zorbulator-gasket');

    expect((await one.call('POST', '/articles/zorbulator-gasket/publish', { version: 1 })).status).toBe(200);
    const seen = await eventually(() => two.searchIds(QUESTION), (ids) => ids[0] === 'zorbulator-gasket');
    expect(seen[0]).toBe('zorbulator-gasket');

    expect((await two.call('POST', '/articles/zorbulator-gasket/unpublish', { version: 1 })).status).toBe(200);
    const gone = await eventually(() => one.searchIds(QUESTION), (ids) => !ids.includes('zorbulator-gasket'));
    expect(gone).not.toContain('zorbulator-gasket');
  });
});
