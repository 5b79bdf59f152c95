import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { createPostgresTestDatabase } from '../test/databases.js';
import { UserRepository } from '../db/users.js';
import { verifyPassword } from './agent/passwords.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('npm run users (server/users-cli.ts)', () => {
  let dataDir: string;
  let postgres: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  // The server's database (DATABASE_URL); the CLI picks it as the server does.
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sb-users-cli-'));
    postgres = await createPostgresTestDatabase();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  });

  function users(args: string[], stdin: string | null): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'server/users-cli.ts', ...args],
        { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: postgres.url, NODE_ENV: 'test' }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  async function stored(email: string): Promise<{ hash: string; teams: string[]; role: string } | null> {
    const handle = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 1 });
    try {
      const found = await new UserRepository(handle.db).byEmail(email);
      return found === null ? null : { hash: found.passwordHash, teams: found.profile.teams, role: found.profile.role };
    } finally {
      await handle.close();
    }
  }

  test('adds an agent in a team with the password from stdin, stored only as its hash', async () => {
    const result = await users(['add', 'Rita@Voltline.example', '--role', 'agent', '--team', 'returns', '--team', 'technical'], 'a-long-enough-password\n');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Created agent rita@voltline.example in returns, technical.');
    expect(result.stdout).not.toContain('a-long-enough-password');
    const row = await stored('rita@voltline.example');
    expect(row).toMatchObject({ role: 'agent', teams: ['returns', 'technical'] });
    expect(row!.hash).not.toContain('a-long-enough-password');
    expect(await verifyPassword(row!.hash, 'a-long-enough-password')).toBe(true);
  }, 60_000);

  test('without a password on stdin it prints a one-time password that signs in', async () => {
    const result = await users(['add', 'sol@voltline.example', '--role', 'supervisor'], null);
    expect(result.code).toBe(0);
    const password = /One-time password[^:]*: (\S+)/.exec(result.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyPassword((await stored('sol@voltline.example'))!.hash, password!)).toBe(true);
  }, 60_000);

  test.each([
    ['an unknown role', ['add', 'x@voltline.example', '--role', 'boss'], 'role'],
    ['a bad email', ['add', 'not-an-email', '--role', 'agent'], 'email'],
    ['a bad team name', ['add', 'y@voltline.example', '--role', 'agent', '--team', 'Team Rocket!'], 'teams[0]'],
  ])('refuses %s, naming the field, and creates nobody', async (_name, args, field) => {
    const result = await users(args, 'a-long-enough-password\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${field}:`);
  }, 60_000);

  test('refuses a short password and an email that is taken', async () => {
    expect((await users(['add', 'z@voltline.example', '--role', 'agent'], 'short\n')).stderr).toMatch(/password: must be at least 12 characters/);
    expect(await stored('z@voltline.example')).toBeNull();
    const again = await users(['add', 'rita@voltline.example', '--role', 'agent'], 'another-long-password\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SB_ERR_CONFLICT');
  }, 60_000);
});
