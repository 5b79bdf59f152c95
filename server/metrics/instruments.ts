import { performance } from 'node:perf_hooks';
import { isSwitchboardError } from '../../core/errors.js';
import type { NluEngine } from '../../core/nlu.js';
import type { LockStore } from '../../core/stores.js';
import type { InboundTurns } from '../../core/turn-outcome.js';
import { EventWriter, type ConversationCommit } from '../../db/event-writer.js';
import type { Metrics } from './registry.js';

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** The turn, timed from the channel's hand-over to its outcome. */
export function meteredTurns(turns: InboundTurns, metrics: Metrics): InboundTurns {
  return {
    handle: async (message) => {
      const started = performance.now();
      try {
        const outcome = await turns.handle(message);
        metrics.turnSeconds.observe({ channel: message.channel, outcome: outcome.kind }, seconds(started));
        return outcome;
      } catch (error) {
        metrics.turnSeconds.observe({ channel: message.channel, outcome: 'error' }, seconds(started));
        throw error;
      }
    },
  };
}

/** The NLU engine, timed per parse and labelled with its provider (NLU_PROVIDER). */
export function meteredNlu(engine: NluEngine, provider: string, metrics: Metrics): NluEngine {
  return {
    parse: async (text, context) => {
      const started = performance.now();
      try {
        return await engine.parse(text, context);
      } finally {
        metrics.nluSeconds.observe({ provider }, seconds(started));
      }
    },
  };
}

/** The conversation locks, timed from asking to holding (or to giving up). */
export function meteredLocks(locks: LockStore, metrics: Metrics): LockStore {
  return {
    withLock: async (key, fn, options) => {
      const started = performance.now();
      let acquired = false;
      try {
        return await locks.withLock(
          key,
          () => {
            acquired = true;
            metrics.lockWaitSeconds.observe({ outcome: 'acquired' }, seconds(started));
            return fn();
          },
          options,
        );
      } catch (error) {
        if (!acquired && isSwitchboardError(error) && error.code === 'SB_ERR_LOCK_TIMEOUT') metrics.lockWaitSeconds.observe({ outcome: 'timeout' }, seconds(started));
        throw error;
      }
    },
  };
}

/**
 * The event writer, counting handoffs and SLA breaches once their events are committed: the
 * event log is the record, so a count never runs ahead of what was stored.
 */
export class CountedEventWriter extends EventWriter {
  constructor(
    private readonly metrics: Metrics,
    ...args: ConstructorParameters<typeof EventWriter>
  ) {
    super(...args);
  }

  override async commit(commit: ConversationCommit): Promise<void> {
    await super.commit(commit);
    for (const event of commit.events) {
      if (event.type === 'triaged') this.metrics.handoffs.inc({ reason: event.reason ?? 'unknown' });
      else if (event.type === 'sla_breached') this.metrics.slaBreaches.inc({ kind: event.kind });
    }
  }
}
