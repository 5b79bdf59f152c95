import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric name starts with this, the process metrics too. */
export const METRIC_PREFIX = 'switchboard_';

/** Turns take milliseconds to a few seconds (an LLM, a slow database): buckets from 5 ms to 10 s. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A lock is usually free; waits that matter are tens of milliseconds up to the wait limit. */
const LOCK_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One service's metrics, in a registry of its own (tests run several services in one process, and
 * prom-client's default registry is global). Counters and histograms are this instance's since it
 * started: sum them across instances. The `*_current` gauges read shared tables, so every instance
 * reports the same value: take the max, not the sum.
 */
export interface Metrics {
  registry: Registry;
  turnSeconds: Histogram<'channel' | 'outcome'>;
  nluSeconds: Histogram<'provider'>;
  lockWaitSeconds: Histogram<'outcome'>;
  handoffs: Counter<'reason'>;
  slaBreaches: Counter<'kind'>;
  backendErrors: Counter<'backend'>;
  openSockets: Gauge;
  queueDepth: Gauge<'queue'>;
  oldestJobSeconds: Gauge<'queue'>;
  outboundMessages: Gauge<'channel' | 'status'>;
}

let processRegistry: Registry | undefined;

/**
 * The default process metrics (CPU, memory, event-loop lag, GC), once per process: they describe
 * the process, and prom-client's collectors (a GC observer, an event-loop monitor) cannot be
 * stopped, so a registry per service would pile them up in a process that starts many (tests).
 */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX });
  }
  return processRegistry;
}

export function createMetrics(): Metrics {
  const own = new Registry();
  const registers = [own];
  const instruments = {
    turnSeconds: new Histogram({ name: `${METRIC_PREFIX}turn_duration_seconds`, help: 'Time from an inbound message reaching the turn to its outcome, by channel and outcome (answered, relayed, throttled, duplicate, error).', labelNames: ['channel', 'outcome'], buckets: TURN_BUCKETS, registers }),
    nluSeconds: new Histogram({ name: `${METRIC_PREFIX}nlu_duration_seconds`, help: 'Time the NLU engine takes to parse one message, by provider.', labelNames: ['provider'], buckets: TURN_BUCKETS, registers }),
    lockWaitSeconds: new Histogram({ name: `${METRIC_PREFIX}lock_wait_seconds`, help: 'Time waited for a conversation lock, by outcome (acquired, timeout).', labelNames: ['outcome'], buckets: LOCK_BUCKETS, registers }),
    handoffs: new Counter({ name: `${METRIC_PREFIX}handoffs_total`, help: 'Conversations handed to a person, by handoff reason.', labelNames: ['reason'], registers }),
    slaBreaches: new Counter({ name: `${METRIC_PREFIX}sla_breaches_total`, help: 'Handoff service-level targets missed, by target (first response, resolution).', labelNames: ['kind'], registers }),
    backendErrors: new Counter({ name: `${METRIC_PREFIX}backend_errors_total`, help: 'Failed health checks of a backing service (database, state).', labelNames: ['backend'], registers }),
    openSockets: new Gauge({ name: `${METRIC_PREFIX}open_sockets`, help: 'WebSocket connections this instance holds (widget and agent console), handshakes included.', registers }),
    queueDepth: new Gauge({ name: `${METRIC_PREFIX}queue_depth_current`, help: 'Jobs waiting to run (created or retrying), by job queue. Shared by every instance.', labelNames: ['queue'], registers }),
    oldestJobSeconds: new Gauge({ name: `${METRIC_PREFIX}queue_oldest_job_age_seconds_current`, help: 'Age of the oldest job waiting to run, by job queue (0 when none waits). Shared by every instance.', labelNames: ['queue'], registers }),
    outboundMessages: new Gauge({ name: `${METRIC_PREFIX}outbound_messages_current`, help: 'Outbound messages by channel and delivery status. Shared by every instance.', labelNames: ['channel', 'status'], registers }),
  };
  // Scraped together with the process metrics: merging registers the same metric objects, not copies.
  return { ...instruments, registry: Registry.merge([processMetrics(), own]) };
}
