import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../core/config.js';
import { startTestService, type TestService } from '../test/service.js';
import { REPO_ROOT } from './build.js';

/**
 * The container files, checked by what runs on a machine without a Docker engine: the Dockerfile's
 * commands against the documented ones and its health check against a real server, compose.yaml
 * through `docker compose config` when the client has the compose plugin and through the YAML
 * itself otherwise (the same assertions either way), and the proxy's configuration.
 */
const read = (file: string) => readFile(path.join(REPO_ROOT, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions per stage, with continuation lines joined and comments dropped. */
function dockerStages(source: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const logical = source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  for (const line of logical.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const instruction = { keyword: match[1] ?? '', args: (match[2] ?? '').replace(/\s+/g, ' ').trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const ExecForm = z.array(z.string()).min(1);
const execForm = (args: string) => ExecForm.parse(JSON.parse(args));

/** `npm ci …` and `npm run …` commands of a stage's RUN instructions. */
const npmCommands = (stage: Instruction[]) =>
  stage
    .filter((i) => i.keyword === 'RUN')
    .flatMap((i) => i.args.split('&&').map((c) => c.trim()))
    .filter((c) => /^npm (ci|run)\b/.test(c));

const runExit = (command: string[], env: Record<string, string>) =>
  new Promise<number | null>((resolve, reject) => {
    const [program, ...args] = command;
    const child = spawn(program === 'node' ? process.execPath : (program ?? ''), args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', resolve);
  });

describe('the container image (Dockerfile)', () => {
  let stages: Instruction[][];
  let build: Instruction[];
  let runtime: Instruction[];
  let documented: string;
  beforeAll(async () => {
    stages = dockerStages(await read('Dockerfile'));
    build = stages[0] ?? [];
    runtime = stages.at(-1) ?? [];
    documented = `${await read('README.md')}\n${await read('docs/production.md')}`;
  });

  test('builds and installs with the commands README and docs/production.md document', () => {
    expect(stages).toHaveLength(2);
    expect(build[0]?.args).toMatch(/ AS build$/);
    expect(npmCommands(build)).toEqual(['npm ci --ignore-scripts', 'npm run build']);
    expect(npmCommands(runtime)).toEqual(['npm ci --omit=dev --ignore-scripts']);
    // Install scripts off is the one addition, and the docs say why.
    for (const command of [...npmCommands(build), ...npmCommands(runtime)]) {
      expect(documented).toContain(command.replace(' --ignore-scripts', ''));
    }
    expect(documented).toContain('--ignore-scripts');
  });

  test('starts with exactly the command of npm run start:prod, in production', async () => {
    const manifest = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(await read('package.json')));
    const cmd = runtime.filter((i) => i.keyword === 'CMD');
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]?.args ?? '').join(' ')).toBe(manifest.scripts['start:prod']);
    expect(runtime.find((i) => i.keyword === 'ENV')?.args).toMatch(/\bNODE_ENV=production\b/);
  });

  test('runs as the unprivileged node user, with production dependencies and the compiled tree only', () => {
    const users = runtime.filter((i) => i.keyword === 'USER');
    expect(users.map((u) => u.args)).toEqual(['node']);
    expect(runtime.indexOf(users[0] as Instruction)).toBeLessThan(runtime.findIndex((i) => i.keyword === 'CMD'));
    // No sources and no dev dependencies in the image: package files and dist/ from the build stage.
    expect(runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(['package.json package-lock.json ./', '--from=build /app/dist ./dist']);
  });

  describe('its health check', () => {
    let check: string[];
    let service: TestService;
    let notReady: Server;
    beforeAll(async () => {
      const healthcheck = runtime.filter((i) => i.keyword === 'HEALTHCHECK');
      expect(healthcheck).toHaveLength(1);
      const [, options = '', form = ''] = /^(.*?)CMD (\[.*\])$/.exec(healthcheck[0]?.args ?? '') ?? [];
      expect(options).toMatch(/--start-period=\d+s/);
      check = execForm(form);
      service = await startTestService('redis+postgres');
      // A server whose /readyz answers as Switchboard's does while Redis or the database is away.
      notReady = createServer((req, res) => res.writeHead(req.url === '/readyz' ? 503 : 200).end());
      await new Promise<void>((resolve) => notReady.listen(0, '127.0.0.1', resolve));
    }, 120_000);
    afterAll(async () => {
      await service?.dispose();
      notReady?.close();
    });

    test('asks /readyz with Node itself (the slim image has no curl)', () => {
      expect(check[0]).toBe('node');
      expect(check.join(' ')).toContain('/readyz');
    });

    test('passes on a ready Switchboard, fails when /readyz answers 503 or nothing listens', async () => {
      const port = (url: string) => new URL(url).port;
      expect(await runExit(check, { PORT: port(service.url) })).toBe(0);
      expect(await runExit(check, { PORT: String((notReady.address() as AddressInfo).port) })).toBe(1);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const freed = String((closed.address() as AddressInfo).port);
      await new Promise((resolve) => closed.close(resolve));
      expect(await runExit(check, { PORT: freed })).toBe(1);
    });
  });

  test('.dockerignore keeps node_modules, data, dist and .git out of the build context', async () => {
    const ignored = (await read('.dockerignore')).split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '**/node_modules', 'data', 'dist', '.git', '.env']));
  });
});

const Service = z.object({
  build: z.unknown().optional(),
  image: z.string().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  ports: z.array(z.union([z.string(), z.object({ target: z.number(), published: z.string() })])).optional(),
  volumes: z.array(z.union([z.string(), z.object({ source: z.string(), target: z.string() })])).optional(),
});
const Compose = z.object({ services: z.record(z.string(), Service) });
type Compose = z.infer<typeof Compose>;

const execFileAsync = promisify(execFile);

async function composeClient(): Promise<boolean> {
  try {
    await execFileAsync('docker', ['compose', 'version']);
    return true;
  } catch {
    return false;
  }
}

/** Compose's `${VAR:?message}` and `${VAR:-default}`, for the path without the client. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_whole, name: string, kind?: string, text?: string) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${text ?? ''}`);
    return kind === '-' ? (text ?? '') : '';
  });
}

/** compose.yaml as Compose resolves it: by `docker compose config` when the plugin is here, else read as YAML. */
async function loadCompose(env: Record<string, string>): Promise<Compose> {
  if (await composeClient()) {
    const { stdout } = await execFileAsync('docker', ['compose', '-f', 'compose.yaml', 'config', '--format', 'json'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    return Compose.parse(JSON.parse(stdout));
  }
  const compose = Compose.parse(parseYaml(await read('compose.yaml')));
  for (const service of Object.values(compose.services)) {
    if (service.environment === undefined) continue;
    service.environment = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return compose;
}

const mount = (volume: string | { source: string; target: string }) => {
  if (typeof volume !== 'string') return { source: volume.source, target: volume.target };
  const [source = '', target = ''] = volume.split(':');
  return { source: source.startsWith('.') ? path.resolve(REPO_ROOT, source) : source, target };
};

describe('compose.yaml', () => {
  const secret = randomBytes(24).toString('hex');
  const operator = { SESSION_SECRET: secret, SMTP_URL: 'smtp://switchboard:secret@smtp.example.com:587', MAIL_FROM: 'support@example.com' };
  let compose: Compose;
  let apps: [string, z.infer<typeof Service>][];
  let nginx: string;
  beforeAll(async () => {
    compose = await loadCompose(operator);
    apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    nginx = await read('deploy/nginx.conf');
  });

  test('runs two Switchboard instances from the Dockerfile on one database, one Redis and one secret', () => {
    expect(apps.map(([name]) => name)).toEqual(['switchboard-a', 'switchboard-b']);
    const envs = apps.map(([, s]) => s.environment ?? {});
    // One environment for both (one YAML anchor): the same database, Redis, secret and transport.
    expect(envs[0]).toEqual(envs[1]);
    expect(envs[0]?.SESSION_SECRET).toBe(secret);
    expect(envs[0]?.SMTP_URL).toBe(operator.SMTP_URL);
    expect(new URL(envs[0]?.DATABASE_URL ?? '').hostname).toBe('postgres');
    expect(new URL(envs[0]?.REDIS_URL ?? '').hostname).toBe('redis');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'proxy']));
  });

  test("each instance's environment passes the production checks", () => {
    for (const [, app] of apps) {
      const config = loadConfig(app.environment);
      expect(config.NODE_ENV).toBe('production');
      expect(config.DATABASE_URL).toBeDefined();
      expect(config.REDIS_URL).toBeDefined();
    }
  });

  test.each(Object.keys(operator))('refuses to start without %s, naming it', async (name) => {
    const { [name as keyof typeof operator]: _missing, ...rest } = operator;
    await expect(loadCompose(rest)).rejects.toThrow(`required variable ${name} is missing a value`);
  });

  test('starts the instances after Postgres and Redis are healthy, and the proxy after both instances are', () => {
    for (const store of ['postgres', 'redis']) expect(compose.services[store]?.healthcheck?.test.length).toBeGreaterThan(0);
    for (const [, app] of apps) {
      expect(app.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    // An instance is healthy by the image's HEALTHCHECK on /readyz (tested above).
    expect(compose.services.proxy?.depends_on).toEqual({ 'switchboard-a': expect.objectContaining({ condition: 'service_healthy' }) as unknown, 'switchboard-b': expect.objectContaining({ condition: 'service_healthy' }) as unknown });
  });

  test('the proxy mounts deploy/nginx.conf and round-robins across both instances on their port', () => {
    expect((compose.services.proxy?.volumes ?? []).map(mount)).toContainEqual({ source: path.join(REPO_ROOT, 'deploy/nginx.conf'), target: '/etc/nginx/conf.d/default.conf' });
    const upstream = /upstream (\w+) \{([^}]*)\}/.exec(nginx);
    const servers = [...(upstream?.[2] ?? '').matchAll(/^\s*server (\S+)/gm)].map((m) => m[1]);
    expect(servers).toEqual(apps.map(([name, app]) => `${name}:${app.environment?.PORT ?? ''}`));
    // No ip_hash, hash or least_conn: nginx's default, round-robin.
    expect(upstream?.[2]).not.toMatch(/\b(ip_hash|hash|least_conn|random)\b/);
    expect(nginx).toContain(`proxy_pass http://${upstream?.[1] ?? ''};`);
  });

  test('the proxy passes WebSocket upgrades and the client address, and keeps /metrics off the public side', () => {
    const root = /location \/ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(root).toContain('proxy_http_version 1.1;');
    expect(root).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(root).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' +close;\s*\}/);
    expect(root).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    for (const [, app] of apps) expect(app.environment?.TRUST_PROXY).toBeDefined();
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });
});
