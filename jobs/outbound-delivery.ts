import type { Kysely } from 'kysely';
import type { ChannelSender } from '../core/channel.js';
import { OutboundMessages } from '../db/outbound-messages.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import { DeliveryWorker } from './delivery-worker.js';
import { outboundDeliveryJob } from './outbound-delivery-job.js';
import { OutboundQueue } from './outbound-queue.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface StartedOutboundDelivery {
  queue: OutboundQueue;
  messages: OutboundMessages;
  worker: DeliveryWorker;
}

/**
 * Registers the delivery queue on a started `JobQueue`, starts this instance's delivery workers
 * and resumes what a previous run left queued.
 */
export async function startOutboundDelivery(deps: {
  db: Kysely<Database>;
  jobs: JobQueue;
  senders: ReadonlyMap<string, ChannelSender>;
  log: JobLogger;
  policy?: Partial<DeliveryPolicy>;
  /** Conversations delivered at once by this instance (each in seq order). */
  concurrency?: number;
}): Promise<StartedOutboundDelivery> {
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const job = outboundDeliveryJob(policy.leaseSeconds);
  await deps.jobs.register(job);
  const messages = new OutboundMessages(deps.db);
  const worker = new DeliveryWorker({ db: deps.db, messages, jobs: deps.jobs, job, senders: deps.senders, policy, log: deps.log });
  await deps.jobs.work(job, ({ conversationId }) => worker.drain(conversationId), { concurrency: deps.concurrency ?? 2 });
  const queue = new OutboundQueue({ db: deps.db, messages, jobs: deps.jobs, job });
  await queue.resumePending();
  return { queue, messages, worker };
}
