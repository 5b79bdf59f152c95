import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditConversation } from './scale-audit.js';
import { ScaleCluster } from './scale-cluster.js';
import { SimulatedCustomer } from './scale-customer.js';
import { round } from './load.js';

/** What each simulated customer says, in order; every line is answered by the bot, and all differ. */
export const SCALE_SCRIPT = ['hi there', 'where is my order?', "I don't have the number", 'can I return my headphones', 'thanks', 'what time do you open', 'bye'];

export const FAULT_KINDS = ['redis', 'postgres', 'instance'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScaleOptions {
  conversations: number;
  /** Conversations in progress at once during the load phase. */
  clients: number;
  /** Cap on the load phase: no turn starts after it. */
  seconds: number;
  turnsPerConversation: number;
  faults: readonly FaultKind[];
  /** Conversations in progress at once while a fault runs. */
  faultClients: number;
  /** How long Redis / Postgres stay away. */
  outageSeconds: number;
  lockTtlMs: number;
  progress?: (line: string) => void;
}

interface Totals {
  orderingViolations: number;
  lost: number;
  duplicated: number;
  repeatedPushes: number;
  /** Replies the widget sockets received (pub/sub is at most once: below the replies during faults). */
  pushes: number;
  unacknowledged: number;
  unexpectedAnswers: number;
  findings: string[];
}

export interface FaultReport extends Totals {
  fault: FaultKind;
  conversations: number;
  turns: number;
  /** From the fault's end until a turn started after it succeeded on every remaining instance. */
  recoverySeconds: number | null;
  /** From the fault's end until the last message caught by the fault was acknowledged. */
  slowestCustomerSeconds: number | null;
}

export interface ScaleReport extends Totals {
  instances: number;
  conversations: number;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  turnsPerInstance: Record<string, number>;
  faults: Partial<Record<FaultKind, Omit<FaultReport, 'fault'>>>;
}

const MESSAGE_DEADLINE_MS = 60_000;

/**
 * Runs the conversations of one phase: `clients` workers each take the next conversation until
 * `count` are done or `stop()` says so; a conversation stops between turns when `stop()` is true.
 */
async function drive(port: number, count: number, clients: number, turns: number, stop: () => boolean, thinkMs: number, customers: SimulatedCustomer[] = []): Promise<SimulatedCustomer[]> {
  let started = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (started < count && !stop()) {
        started += 1;
        const customer = new SimulatedCustomer(port);
        if (!(await customer.start(performance.now() + MESSAGE_DEADLINE_MS))) continue;
        customers.push(customer);
        await customer.openSocket();
        for (const text of SCALE_SCRIPT.slice(0, turns)) {
          if (stop()) break;
          if (!(await customer.say(text, performance.now() + MESSAGE_DEADLINE_MS))) break;
          if (thinkMs > 0) await sleep(thinkMs);
        }
        customer.close();
      }
    }),
  );
  return customers;
}

/** Fetches every transcript (a few at a time) and adds up the audits. */
async function auditAll(customers: SimulatedCustomer[]): Promise<Totals> {
  const totals: Totals = { orderingViolations: 0, lost: 0, duplicated: 0, repeatedPushes: 0, pushes: 0, unacknowledged: 0, unexpectedAnswers: 0, findings: [] };
  // Pushes of the last turns may still be on their way.
  await sleep(500);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < customers.length) {
        const customer = customers[next++]!;
        const transcript = await customer.transcript(performance.now() + MESSAGE_DEADLINE_MS);
        totals.pushes += customer.pushed.length;
        totals.unacknowledged += customer.messages.filter((m) => m.ack === undefined).length;
        totals.unexpectedAnswers += customer.unexpected.length;
        if (transcript === undefined) {
          totals.findings.push('transcript could not be read');
          continue;
        }
        const audit = auditConversation(customer.messages, transcript, customer.pushed);
        totals.orderingViolations += audit.orderingViolations;
        totals.lost += audit.lost;
        totals.duplicated += audit.duplicated;
        totals.repeatedPushes += audit.repeatedPushes;
        if (totals.findings.length < 10) totals.findings.push(...audit.findings.slice(0, 10 - totals.findings.length));
        if (totals.findings.length < 10) totals.findings.push(...customer.unexpected.slice(0, 10 - totals.findings.length));
      }
    }),
  );
  return totals;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function loadPhase(cluster: ScaleCluster, options: ScaleOptions): Promise<Omit<ScaleReport, 'faults'>> {
  const startedAt = performance.now();
  const end = startedAt + options.seconds * 1000;
  const customers = await drive(cluster.proxy.port, options.conversations, options.clients, options.turnsPerConversation, () => performance.now() > end, 0);
  const seconds = (performance.now() - startedAt) / 1000;
  const acked = customers.flatMap((c) => c.messages).filter((m) => m.ack !== undefined);
  const latencies = acked.map((m) => m.ack!.at - m.firstSentAt).sort((a, b) => a - b);
  const turnsPerInstance: Record<string, number> = {};
  for (const m of acked) turnsPerInstance[m.ack!.backend] = (turnsPerInstance[m.ack!.backend] ?? 0) + 1;
  const totals = await auditAll(customers);
  return {
    instances: cluster.instances.length,
    conversations: customers.length,
    turns: acked.length,
    seconds: round(seconds),
    turnsPerSecond: round(acked.length / seconds),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    turnsPerInstance,
    ...totals,
  };
}

async function inject(cluster: ScaleCluster, fault: FaultKind, outageMs: number): Promise<{ surviving: string[] }> {
  switch (fault) {
    case 'redis':
      await cluster.redis.kill();
      await sleep(outageMs);
      await cluster.redis.restart();
      return { surviving: cluster.instances.map((i) => i.name) };
    case 'postgres':
      await cluster.postgres.stop();
      await sleep(outageMs);
      await cluster.postgres.restart();
      return { surviving: cluster.instances.map((i) => i.name) };
    case 'instance': {
      const victim = cluster.instances[cluster.instances.length - 1]!;
      await cluster.kill(victim);
      return { surviving: cluster.instances.filter((i) => i !== victim).map((i) => i.name) };
    }
    default: {
      const unknown: never = fault;
      throw new Error(`unknown fault ${String(unknown)}`);
    }
  }
}

/**
 * One fault under steady load: customers keep talking, the fault starts after 2 s, and the load
 * goes on until every remaining instance has served a turn again (or 60 s) plus 2 s.
 */
async function faultPhase(cluster: ScaleCluster, fault: FaultKind, options: ScaleOptions): Promise<FaultReport> {
  let stopping = false;
  const customers: SimulatedCustomer[] = [];
  const running = drive(cluster.proxy.port, Number.MAX_SAFE_INTEGER, options.faultClients, options.turnsPerConversation, () => stopping, 50, customers);
  await sleep(2000);
  const faultStart = performance.now();
  const { surviving } = await inject(cluster, fault, options.outageSeconds * 1000);
  const faultEnd = performance.now();
  options.progress?.(`${fault}: fault over after ${round((faultEnd - faultStart) / 1000)} s`);
  // Each remaining instance's first acknowledged turn whose attempt started after the fault.
  const servedAgain = new Map<string, number>();
  const recovered = (): boolean => surviving.every((name) => servedAgain.has(name));
  const giveUpAt = faultEnd + 60_000;
  while (!recovered() && performance.now() < giveUpAt) {
    for (const m of customers.flatMap((c) => c.messages)) {
      const ack = m.ack;
      if (ack === undefined || ack.attemptStartedAt < faultEnd) continue;
      if (!servedAgain.has(ack.backend) || servedAgain.get(ack.backend)! > ack.at) servedAgain.set(ack.backend, ack.at);
    }
    if (!recovered()) await sleep(100);
  }
  await sleep(2000);
  stopping = true;
  await running;
  const messages = customers.flatMap((c) => c.messages);
  // Messages in flight when the fault started or sent during it.
  const caught = messages.filter((m) => m.firstSentAt <= faultEnd && (m.ack === undefined || m.ack.at >= faultStart));
  const totals = await auditAll(customers);
  return {
    fault,
    conversations: customers.length,
    turns: messages.filter((m) => m.ack !== undefined).length,
    recoverySeconds: recovered() ? round((Math.max(...surviving.map((name) => servedAgain.get(name)!)) - faultEnd) / 1000) : null,
    slowestCustomerSeconds: caught.every((m) => m.ack !== undefined) ? round(Math.max(0, ...caught.map((m) => m.ack!.at - faultEnd)) / 1000) : null,
    ...totals,
  };
}

/** Starts the cluster, runs the load phase and then each fault in turn, and stops everything. */
export async function runScaleBench(options: ScaleOptions): Promise<ScaleReport> {
  const cluster = await ScaleCluster.start({ instances: 2, lockTtlMs: options.lockTtlMs });
  try {
    options.progress?.(`cluster up: instances on ${cluster.instances.map((i) => i.port).join(', ')}, proxy on ${cluster.proxy.port}`);
    const load = await loadPhase(cluster, options);
    options.progress?.(`load: ${load.turns} turns in ${load.seconds} s`);
    const faults: ScaleReport['faults'] = {};
    // The instance kill goes last: the phases after it would run on one instance.
    for (const fault of FAULT_KINDS.filter((f) => options.faults.includes(f))) {
      const { fault: kind, ...report } = await faultPhase(cluster, fault, options);
      faults[kind] = report;
      options.progress?.(`${kind}: ${JSON.stringify(report)}`);
    }
    return { ...load, faults };
  } finally {
    await cluster.stop();
  }
}
