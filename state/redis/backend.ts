import type { StateBackend } from '../../core/stores.js';
import { backendClosedError } from '../options.js';
import { call, connect, createConnection, toStateError, type RedisConnection, type StateLog } from './connection.js';
import { LockWakeups } from './lock-wakeups.js';
import { RedisLockStore } from './locks.js';
import { RedisPubSub, type HandlerErrorReporter } from './pubsub.js';
import { RedisCounterStore, RedisIdempotencyStore, RedisSnapshotStore } from './stores.js';

export interface RedisBackendOptions {
  url: string;
  /** Every key and channel starts with it, so several deployments can share one Redis. */
  keyPrefix: string;
  log?: StateLog;
  /** How long start-up waits for Redis before failing. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long one command may go unanswered. Default 5 s. */
  commandTimeoutMs?: number;
  onHandlerError?: HandlerErrorReporter;
}

/** State shared by every server pointing at the same Redis and prefix. */
export async function createRedisBackend(options: RedisBackendOptions): Promise<StateBackend> {
  const connection = {
    url: options.url,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
    log: options.log,
  };
  const client = createConnection(connection, 'commands');
  await connect(client, options.url);
  const subscriber = createConnection(connection, 'subscriber');
  try {
    await connect(subscriber, options.url);
  } catch (error) {
    client.destroy();
    throw error;
  }

  const prefix = options.keyPrefix;
  const releaseChannel = `${prefix}lock-released`;
  const wakeups = new LockWakeups();
  try {
    await subscriber.subscribe(releaseChannel, (lockKey) => wakeups.wake(lockKey));
  } catch (error) {
    client.destroy();
    subscriber.destroy();
    throw toStateError('pubsub.subscribe', error);
  }

  const locks = new RedisLockStore(client, prefix, releaseChannel, wakeups, options.log);
  const reportHandlerError =
    options.onHandlerError ??
    ((error: unknown) => options.log?.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'a pub/sub handler threw'));
  const pubsub = new RedisPubSub(client, subscriber, prefix, reportHandlerError);
  let closed = false;
  return {
    kind: 'redis',
    locks,
    idempotency: new RedisIdempotencyStore(client, prefix),
    snapshots: new RedisSnapshotStore(client, prefix),
    counters: new RedisCounterStore(client, prefix),
    pubsub,
    async ping() {
      if (closed) throw backendClosedError('ping');
      await call('ping', () => client.ping());
      // Without the subscriber, replies for sockets on other servers would be lost silently.
      if (!subscriber.isReady) await call('ping', () => Promise.reject(new Error('the pub/sub connection is down')));
    },
    async close() {
      if (closed) return;
      closed = true;
      locks.abandon();
      wakeups.clear();
      pubsub.clear();
      await Promise.all([quit(client), quit(subscriber)]);
    },
  };
}

/** A polite QUIT when Redis is there; otherwise just drop the socket and stop reconnecting. */
async function quit(client: RedisConnection): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  await client.close().catch(() => client.destroy());
}
