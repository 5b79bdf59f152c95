import { toTurnMessage } from '../core/inbound.js';
import type { InboundTurns } from '../core/turn-outcome.js';
import type { ClaimedInbound, InboundKey, InboundMessages } from '../db/inbound-messages.js';
import type { InboundProcessingData } from './inbound-processing-job.js';
import type { JobDefinition } from './job-definition.js';
import type { JobLogger, JobQueue } from './queue.js';

/** How inbound processing retries and shares workers. */
export interface InboundPolicy {
  /** Turns started for one message before it is set aside and its sender's next message goes. */
  maxAttempts: number;
  /** A claim older than this belongs to a worker that died mid-turn; also the job's expiry. */
  leaseSeconds: number;
  /** Messages one job handles before it hands the sender to a fresh job, so one busy sender cannot hold a worker. */
  messagesPerJob: number;
  /** First wait before a failed turn's job runs again; doubles per retry. */
  retryDelaySeconds: number;
}

export const DEFAULT_INBOUND_POLICY: InboundPolicy = { maxAttempts: 5, leaseSeconds: 120, messagesPerJob: 20, retryDelaySeconds: 2 };

export interface InboundWorkerDeps {
  messages: InboundMessages;
  turns: InboundTurns;
  jobs: JobQueue;
  job: JobDefinition<InboundProcessingData>;
  policy: InboundPolicy;
  log: JobLogger;
}

/**
 * Runs the turns of a sender's waiting messages, oldest first, one at a time: the head is
 * claimed before its turn and deleted after it. The turn itself drops a message it already
 * stored (its idempotency claim and the unique provider id in the log), so a claim that went
 * stale while its worker was only slow costs a duplicate check, not a second reply.
 */
export class InboundWorker {
  constructor(private readonly deps: InboundWorkerDeps) {}

  async drain(key: InboundKey): Promise<void> {
    const { messages, policy } = this.deps;
    const senderId = await messages.senderOf(key);
    // Its turn already ran (an earlier job of this sender took it).
    if (senderId === null) return;
    for (let handled = 0; handled < policy.messagesPerJob; handled += 1) {
      const claimed = await messages.claimHead(key.channel, senderId, policy.leaseSeconds);
      // Nothing waiting, or another worker holds the head and goes on with the rest.
      if (claimed === null) return;
      await this.run(claimed);
    }
    const next = await messages.headKey(key.channel, senderId);
    if (next !== null) await this.deps.jobs.send(this.deps.job, next);
  }

  private async run(claimed: ClaimedInbound): Promise<void> {
    const { messages, turns, log, policy } = this.deps;
    const ids = { channel: claimed.key.channel, providerMessageId: claimed.key.providerMessageId, attempt: claimed.attempt };
    if (claimed.message === null) {
      await messages.giveUp(claimed);
      log.error(ids, 'stored inbound message does not parse; set aside');
      return;
    }
    try {
      await turns.handle(toTurnMessage(claimed.message));
    } catch (error) {
      if (claimed.attempt >= policy.maxAttempts) {
        await messages.giveUp(claimed);
        // Ids only: the message's text and sender stay out of the logs.
        log.error({ ...ids, err: error }, 'inbound message failed on every attempt; set aside');
        return;
      }
      await messages.release(claimed).catch(() => undefined);
      // The job is retried with backoff; a newer message of this sender retries it sooner.
      throw error;
    }
    await messages.finish(claimed);
  }
}
