import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DisposableRedis } from '../state/test-fixtures/redis-server.js';
import { DisposablePostgres } from '../test/postgres-server.js';
import { RoundRobinProxy } from './scale-proxy.js';

/** One Switchboard server process behind the proxy. */
export interface Instance {
  name: string;
  port: number;
  child: ChildProcess;
}

export interface ClusterOptions {
  instances: number;
  /** TURN_LOCK_TTL_MS of every instance: how long a killed instance's conversation locks outlive it. */
  lockTtlMs: number;
}

/**
 * The deployment the scale bench measures: N instance processes sharing one Redis and one
 * Postgres of their own (free ports, throwaway data) behind a round-robin proxy, so faults can
 * kill Redis, stop Postgres or SIGKILL an instance without touching the machine's shared services.
 */
export class ScaleCluster {
  private constructor(
    readonly redis: DisposableRedis,
    readonly postgres: DisposablePostgres,
    readonly instances: Instance[],
    readonly proxy: RoundRobinProxy,
    readonly root: string,
  ) {}

  static async start(options: ClusterOptions): Promise<ScaleCluster> {
    const root = await mkdtemp(path.join(os.tmpdir(), 'sb-scale-'));
    const redis = await DisposableRedis.start();
    const postgres = await DisposablePostgres.start().catch(async (error: unknown) => {
      await redis.kill();
      throw error;
    });
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'sbscale:',
      // Instances behind one load balancer share the secret that signs widget sessions.
      SESSION_SECRET: `scale-bench-${randomBytes(16).toString('hex')}`,
      TURN_LOCK_TTL_MS: String(options.lockTtlMs),
      // The script needs no shop data (no order look-up succeeds without a verified customer).
      SEED_DEMO: 'false',
      // Every simulated customer comes through the proxy from 127.0.0.1.
      WEBCHAT_MESSAGES_PER_MINUTE: '100000',
      WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '10000000',
      WEBCHAT_SESSIONS_PER_HOUR: '10000000',
      SOCKETS_PER_IP: '100000',
    };
    const instances: Instance[] = [];
    try {
      // One after the other: the first runs the migrations and seeds the demo shop.
      for (let i = 0; i < options.instances; i++) {
        const name = String.fromCharCode(97 + i);
        instances.push(await startInstance(name, { ...env, DATA_DIR: path.join(root, name) }, root));
      }
    } catch (error) {
      for (const instance of instances) instance.child.kill('SIGKILL');
      await postgres.dispose();
      await redis.kill();
      await rm(root, { recursive: true, force: true });
      throw error;
    }
    const proxy = await RoundRobinProxy.start(instances.map((i) => ({ name: i.name, port: i.port })));
    return new ScaleCluster(redis, postgres, instances, proxy, root);
  }

  /** SIGKILL, as an OOM kill or a lost machine: no shutdown, locks and sockets left as they were. */
  async kill(instance: Instance): Promise<void> {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
    const exited = new Promise((resolve) => instance.child.once('exit', resolve));
    instance.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.proxy.close();
    await Promise.all(
      this.instances.map(async (instance) => {
        if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
        const exited = new Promise((resolve) => instance.child.once('exit', resolve));
        instance.child.kill('SIGTERM');
        const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.postgres.dispose();
    await this.redis.kill();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Starts `server/main.ts` and resolves with the port it printed; its output goes to `<root>/<name>.log`. */
function startInstance(name: string, env: Record<string, string>, root: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(path.join(root, `${name}.log`));
  child.stderr!.pipe(log);
  let errors = '';
  const keepErrors = (chunk: Buffer): void => {
    errors = (errors + chunk.toString()).slice(-2000);
  };
  child.stderr!.on('data', keepErrors);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`instance ${name} did not start within 120 s: ${out.slice(-2000)}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const port = /Chat demo:\s+http:\/\/[^:]+:(\d+)\//.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.pipe(log);
      child.stderr!.off('data', keepErrors);
      resolve({ name, port: Number(port), child });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited (${code ?? signal}) while starting: ${out.slice(-2000)}${errors}`));
    });
  });
}
