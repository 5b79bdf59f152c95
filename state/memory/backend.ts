import type { StateBackend } from '../../core/stores.js';
import { MemoryLockStore } from './locks.js';
import { MemoryPubSub, type HandlerErrorReporter } from './pubsub.js';
import { Gate, MemorySpace } from './space.js';
import { MemoryCounterStore, MemoryIdempotencyStore, MemorySnapshotStore } from './stores.js';

export interface MemoryBackendOptions {
  /** Share one space between several backends to stand in for several servers. Default: a private one. */
  space?: MemorySpace;
  /** Told when a pub/sub handler throws (the error is otherwise contained). */
  onHandlerError?: HandlerErrorReporter;
}

/** State for a single server, in this process. Lost on restart. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): StateBackend {
  const ownsSpace = options.space === undefined;
  const space = options.space ?? new MemorySpace();
  const gate = new Gate(space);
  const locks = new MemoryLockStore(space, gate);
  const pubsub = new MemoryPubSub(space, gate, options.onHandlerError ?? (() => undefined));
  return {
    kind: 'memory',
    locks,
    idempotency: new MemoryIdempotencyStore(space, gate),
    snapshots: new MemorySnapshotStore(space, gate),
    counters: new MemoryCounterStore(space, gate),
    pubsub,
    async ping() {
      gate.assertOpen('ping');
    },
    async close() {
      gate.close();
      locks.abandon();
      pubsub.abandon();
      if (ownsSpace && !space.isClosed) space.clear();
    },
  };
}
