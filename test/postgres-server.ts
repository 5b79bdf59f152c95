import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../state/test-fixtures/redis-server.js';

const run = promisify(execFile);

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`: `PG_BIN`, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian, Ubuntu, the CI image). Null when there is none.
 */
export function findPostgresBinaries(): string | null {
  const candidates = process.env.PG_BIN !== undefined ? [process.env.PG_BIN] : versionedBinDirs();
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(path.join(dir, bin)))) ?? null;
}

function versionedBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

/** postgres refuses to run as root: as root, every command runs as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function serverUserIds(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A throwaway PostgreSQL server of our own (temp data directory, free port, trust auth), so a
 * test can stop it as a crash would without touching the shared server the other suites use.
 */
export class DisposablePostgres {
  private running = false;
  private readonly stopOnExit = (): void => this.stopSync();

  private constructor(
    private readonly bin: string,
    private readonly root: string,
    readonly port: number,
  ) {}

  /** Fails, never skips, when the binaries are missing: the fault tests are part of every run. */
  static async start(): Promise<DisposablePostgres> {
    const bin = findPostgresBinaries();
    if (bin === null) throw new Error('PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install postgresql, or set PG_BIN');
    const root = await mkdtemp(path.join(os.tmpdir(), 'sb-pg-'));
    const ids = await serverUserIds();
    if (ids !== null) await chown(root, ids.uid, ids.gid);
    const server = new DisposablePostgres(bin, root, await freePort());
    try {
      await server.exec('initdb', ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
      await server.restart();
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return path.join(this.root, 'data');
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const [command, fullArgs] = asServerUser(path.join(this.bin, tool), args);
    await run(command, fullArgs, { cwd: this.root, timeout: 60_000 });
  }

  private pgCtl(action: 'start' | 'stop'): string[] {
    if (action === 'stop') return ['stop', '-D', this.dataDir, '-m', 'immediate', '-w'];
    // Only a machine crash loses writes without fsync, and the machine does not crash here; a
    // killed server must keep every commit it acknowledged, so synchronous_commit stays on.
    const options = `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=40`;
    return ['start', '-D', this.dataDir, '-w', '-t', '60', '-l', path.join(this.root, 'server.log'), '-o', options];
  }

  /** Starts (again) on the same port and data; resolves once it accepts connections. */
  async restart(): Promise<void> {
    await this.exec('pg_ctl', this.pgCtl('start'));
    this.running = true;
    process.once('exit', this.stopOnExit);
  }

  /** `pg_ctl stop -m immediate`: every backend is killed at once, no goodbye, as in a crash. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.exec('pg_ctl', this.pgCtl('stop'));
    this.running = false;
    process.removeListener('exit', this.stopOnExit);
  }

  /** Stops the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => this.stopSync());
    await rm(this.root, { recursive: true, force: true });
  }

  /** Last resort when the test process exits with the server still up. */
  private stopSync(): void {
    if (!this.running) return;
    this.running = false;
    const [command, args] = asServerUser(path.join(this.bin, 'pg_ctl'), this.pgCtl('stop'));
    try {
      execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Already gone.
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}
