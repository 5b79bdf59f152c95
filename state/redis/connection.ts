import { createClient, ErrorReply, type RedisClientType } from 'redis';
import { SwitchboardError } from '../../core/errors.js';

export type RedisConnection = RedisClientType;

/** What the backend tells its operator; pino's Logger fits. Only hosts and error codes are logged. */
export interface StateLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface ConnectionOptions {
  url: string;
  /** How long the first connection may take before start-up fails. */
  connectTimeoutMs: number;
  /** A command that gets no answer in this time fails instead of holding a webhook open. */
  commandTimeoutMs: number;
  log: StateLog | undefined;
}

/** The URL with any password replaced, safe to print. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

// Replies that mean "Redis can't serve now" rather than "this command is wrong".
const TRANSIENT_REPLY = /^(LOADING|READONLY|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|OOM)\b/;

/** Maps whatever the client threw to the catalogue, naming the operation but never a key. */
export function toStateError(operation: string, error: unknown): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) {
    return new SwitchboardError('SB_ERR_INTERNAL', 'Redis refused a state command', [{ path: operation, message: reason }], { cause: error });
  }
  return new SwitchboardError('SB_ERR_UNAVAILABLE', 'Redis (REDIS_URL) is unavailable', [{ path: operation, message: reason }], { cause: error });
}

export async function call<T>(operation: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    throw toStateError(operation, error);
  }
}

/**
 * A client that fails fast while Redis is away (no offline queue, a per-command timeout)
 * and keeps reconnecting in the background once it has been up, so a Redis restart heals
 * on its own. Before the first connection it gives up after `connectTimeoutMs`.
 */
export function createConnection(options: ConnectionOptions, role: 'commands' | 'subscriber'): RedisConnection {
  const startedAt = performance.now();
  let everReady = false;
  let healthy = false;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: {
      connectTimeout: Math.min(options.connectTimeoutMs, 5_000),
      reconnectStrategy: (retries, cause) => {
        if (!everReady && performance.now() - startedAt >= options.connectTimeoutMs) return cause;
        return Math.min(50 * 2 ** retries, 1_000) + Math.floor(Math.random() * 100);
      },
    },
  });
  const where = redactRedisUrl(options.url);
  // Without an 'error' listener the EventEmitter would throw and take the process down.
  client.on('error', (error: unknown) => {
    if (!everReady || !healthy) return;
    healthy = false;
    options.log?.warn({ redis: where, role, err: error instanceof Error ? error.message : String(error) }, 'lost the Redis connection; retrying');
  });
  client.on('ready', () => {
    if (everReady && !healthy) options.log?.info({ redis: where, role }, 'Redis connection restored');
    everReady = true;
    healthy = true;
  });
  return client;
}

export async function connect(client: RedisConnection, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new SwitchboardError(
      'SB_ERR_UNAVAILABLE',
      `Cannot connect to Redis at REDIS_URL=${redactRedisUrl(url)}: ${reason}. Start Redis, or unset REDIS_URL to keep state in this process.`,
      [{ path: 'REDIS_URL', message: reason }],
      { cause: error },
    );
  }
}
