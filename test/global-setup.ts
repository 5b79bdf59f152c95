import net from 'node:net';
import { buildAgentConsole } from '../consoles/agent/build.js';
import { createServiceTemplates, SERVICE_TEMPLATES_ENV } from './service-templates.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './services.js';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The suites for Redis and Postgres servers are part of every run. A missing server
 * fails the run with the command that starts it, never a silent skip.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const missing: string[] = [];
  if (!(await reachable(TEST_DATABASE_URL, 5432))) {
    missing.push(
      `PostgreSQL is not answering at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL, or start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)`,
    );
  }
  if (!(await reachable(TEST_REDIS_URL, 6379))) {
    missing.push(
      `Redis is not answering at ${TEST_REDIS_URL} (set TEST_REDIS_URL, or start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no)`,
    );
  }
  if (missing.length > 0) throw new Error(missing.join('\n'));
  // Every browser test serves the agent console: built once here rather than by each test file
  // at the same moment (the build is cached by source hash, so a later start reuses it).
  await buildAgentConsole();
  // Every test service starts from a copy of one first start per deployment (test/service-templates.ts).
  const { templates, remove } = await createServiceTemplates();
  process.env[SERVICE_TEMPLATES_ENV] = JSON.stringify(templates);
  return remove;
}
