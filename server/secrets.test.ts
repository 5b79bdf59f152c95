import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { isSwitchboardError } from '../core/errors.js';
import { resolveSecrets } from './secrets.js';

describe('the secrets generated for development in DATA_DIR/secrets.json', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-secrets-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const config = () => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development' });
  const file = () => path.join(dataDir, 'secrets.json');

  test('are generated on the first start and the same on the next, so sessions survive a restart', async () => {
    const first = await resolveSecrets(config());
    const second = await resolveSecrets(config());
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.adminToken).toBe(first.adminToken);
  });

  test('a file with more in it (the demo agents) is read, never rewritten', async () => {
    await resolveSecrets(config());
    const withAgents = { ...JSON.parse(await readFile(file(), 'utf8')), demoAgents: [{ email: 'sam@voltline.example', password: 'kept', role: 'agent', team: 'returns' }] };
    await writeFile(file(), JSON.stringify(withAgents));
    await resolveSecrets(config());
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual(withAgents);
  });

  test.each([
    ['not JSON', '{"sessionSecret": "abc', /is not valid JSON/],
    ['a secret too short', JSON.stringify({ sessionSecret: 'short', adminToken: 'x'.repeat(30), demoAgents: [] }), /sessionSecret/],
  ])('a broken file (%s) stops the start with its path and the fix, and is left as it was', async (_what, content, detail) => {
    await writeFile(file(), content);
    const error: unknown = await resolveSecrets(config()).catch((e: unknown) => e);
    expect(isSwitchboardError(error) && error.code).toBe('SB_ERR_CONFIG');
    expect(String((error as Error).message)).toMatch(/secrets\.json is not valid: repair it, or delete it/);
    expect(JSON.stringify((error as { details: unknown }).details)).toMatch(detail);
    expect(await readFile(file(), 'utf8')).toBe(content);
  });
});

test('instances starting together on one DATA_DIR agree on the secrets', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-secrets-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    const all = await Promise.all(Array.from({ length: 8 }, () => resolveSecrets(config)));
    expect(new Set(all.map((s) => s.sessionSecret)).size).toBe(1);
    expect(new Set(all.map((s) => s.adminToken)).size).toBe(1);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
