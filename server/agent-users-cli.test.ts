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

  async function stored(email: string): Promise<{ hash: string; teams: string[]; role: string; name: string; skills: string[]; capacity: number } | null> {
    const handle = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 1 });
    try {
      const repo = new UserRepository(handle.db);
      const found = await repo.byEmail(email);
      if (found === null) return null;
      const routing = await repo.routingSettings(found.profile.id);
      return { hash: found.passwordHash, teams: found.profile.teams, role: found.profile.role, name: found.profile.name, skills: routing!.skills, capacity: routing!.capacity };
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

  test('adds an agent with a full name, teams, skills and a capacity that routing then uses', async () => {
    const args = ['add', 'max@voltline.example', '--role', 'agent', '--team', 'technical', '--skill', 'VIP', '--skill', 'incident', '--capacity', '4', '--name', 'Max Mustermann'];
    const result = await users(args, 'a-long-enough-password\n');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Created agent max@voltline.example in technical (skills incident, vip; capacity 4).');
    expect(await stored('max@voltline.example')).toMatchObject({ name: 'Max Mustermann', teams: ['technical'], skills: ['incident', 'vip'], capacity: 4 });
  }, 60_000);

  test('set changes skills and capacity of an existing user, each leaving the other as it was', async () => {
    expect((await users(['set', 'rita@voltline.example', '--capacity', '5'], null)).stdout).toContain('Changed rita@voltline.example: skills (none); capacity 5.');
    const skills = await users(['set', 'rita@voltline.example', '--skill', 'returns-expert'], null);
    expect(skills).toMatchObject({ code: 0, stderr: '' });
    expect(await stored('rita@voltline.example')).toMatchObject({ skills: ['returns-expert'], capacity: 5 });
    await users(['set', 'rita@voltline.example', '--skill', ''], null);
    expect(await stored('rita@voltline.example')).toMatchObject({ skills: [], capacity: 5 });
    const unknown = await users(['set', 'nobody@voltline.example', '--capacity', '1'], null);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user nobody@voltline.example');
  }, 60_000);

  test.each([
    ['an unknown role', ['add', 'x@voltline.example', '--role', 'boss'], /--role "boss": .*use agent, supervisor, admin or editor/],
    ['a bad email', ['add', 'not-an-email', '--role', 'agent'], /EMAIL "not-an-email": must be an email address/],
    ['a bad team name', ['add', 'y@voltline.example', '--role', 'agent', '--team', 'Team Rocket!'], /--team "Team Rocket!": must be 1–40 lower-case letters/],
    ['a bad skill', ['add', 'y@voltline.example', '--role', 'agent', '--skill', 'big spender'], /--skill "big spender": must be 1–40 lower-case letters/],
    ['a capacity that is no number', ['add', 'y@voltline.example', '--role', 'agent', '--capacity', 'lots'], /--capacity "lots": .*give a whole number from 0 to 50/],
    ['a capacity too high', ['add', 'y@voltline.example', '--role', 'agent', '--capacity', '51'], /--capacity "51": must be 0 to 50/],
    ['an unknown flag', ['add', 'y@voltline.example', '--role', 'agent', '--teams', 'returns'], /--teams/],
    ['set with nothing to change', ['set', 'rita@voltline.example'], /--skill: name what to change: --skill SKILL .* or --capacity N/],
    ['set with a bad capacity', ['set', 'rita@voltline.example', '--capacity', '-1'], /--capacity/],
  ])('refuses %s with exit 2, naming the flag and the fix, and changes nothing', async (_name, args, message) => {
    const result = await users(args, 'a-long-enough-password\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await stored('x@voltline.example')).toBeNull();
    expect(await stored('y@voltline.example')).toBeNull();
    expect(await stored('rita@voltline.example')).toMatchObject({ role: 'agent', teams: ['returns', 'technical'] });
  }, 60_000);

  test('refuses a short password (exit 2) and an email that is taken (exit 1)', async () => {
    const short = await users(['add', 'z@voltline.example', '--role', 'agent'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password: must be at least 12 characters/);
    expect(await stored('z@voltline.example')).toBeNull();
    const again = await users(['add', 'rita@voltline.example', '--role', 'agent'], 'another-long-password\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SB_ERR_CONFLICT');
  }, 60_000);
});
