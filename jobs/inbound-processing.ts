import type { Kysely } from 'kysely';
import type { ChannelName } from '../core/message.js';
import type { InboundTurns } from '../core/turn-outcome.js';
import { InboundMessages } from '../db/inbound-messages.js';
import type { Database } from '../db/schema.js';
import { InboundIntake } from './inbound-intake.js';
import { inboundProcessingJob } from './inbound-processing-job.js';
import { DEFAULT_INBOUND_POLICY, InboundWorker, type InboundPolicy } from './inbound-worker.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface StartedInboundProcessing {
  intake: InboundIntake;
  messages: InboundMessages;
  worker: InboundWorker;
}

/**
 * Registers the inbound queue on a started `JobQueue`, starts this instance's workers (each
 * runs turns from the queue) and gives every sender with messages left by a previous run a
 * fresh job.
 */
export async function startInboundProcessing(deps: {
  db: Kysely<Database>;
  jobs: JobQueue;
  turns: InboundTurns;
  isOwnMessage: (channel: ChannelName, providerMessageId: string) => Promise<boolean>;
  log: JobLogger;
  policy?: Partial<InboundPolicy>;
  /** Turns run at once by this instance's inbound workers (different senders). */
  concurrency?: number;
}): Promise<StartedInboundProcessing> {
  const policy: InboundPolicy = { ...DEFAULT_INBOUND_POLICY, ...deps.policy };
  const job = inboundProcessingJob(policy);
  await deps.jobs.register(job);
  const messages = new InboundMessages(deps.db, policy.maxAttempts);
  const worker = new InboundWorker({ messages, turns: deps.turns, jobs: deps.jobs, job, policy, log: deps.log });
  await deps.jobs.work(job, (key) => worker.drain(key), { concurrency: deps.concurrency ?? 2 });
  const intake = new InboundIntake({ db: deps.db, messages, jobs: deps.jobs, job, isOwnMessage: deps.isOwnMessage });
  const waiting = await messages.waitingHeads(policy.leaseSeconds, 1000);
  for (const key of waiting) await deps.jobs.send(job, key);
  if (waiting.length > 0) deps.jobs.wake(job);
  return { intake, messages, worker };
}
