import type { Kysely } from 'kysely';
import type { AcceptedInbound, InboundQueue } from '../core/channel.js';
import type { ChannelInbound } from '../core/inbound.js';
import type { ChannelName } from '../core/message.js';
import { transactionExecutor } from '../db/connection.js';
import type { InboundMessages } from '../db/inbound-messages.js';
import type { Database } from '../db/schema.js';
import type { InboundProcessingData } from './inbound-processing-job.js';
import type { JobDefinition } from './job-definition.js';
import type { JobQueue } from './queue.js';

/**
 * Where verified webhook messages enter: each is stored with its processing job in one
 * transaction, so once `accept` resolves (and the provider is acknowledged) the message is
 * durable and will get its turn, on whichever instance takes the job.
 */
export class InboundIntake implements InboundQueue {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      messages: InboundMessages;
      jobs: JobQueue;
      job: JobDefinition<InboundProcessingData>;
      /** True when the provider id names a message we sent (db/outbound-messages.ts `isOwnMessage`). */
      isOwnMessage: (channel: ChannelName, providerMessageId: string) => Promise<boolean>;
    },
  ) {}

  async accept(messages: readonly ChannelInbound[]): Promise<Array<{ providerMessageId: string; result: AcceptedInbound }>> {
    const { db, jobs, job } = this.deps;
    const results: Array<{ providerMessageId: string; result: AcceptedInbound }> = [];
    // Echoes are checked first, outside the transaction: the channel repeating our own message
    // is never stored as the customer speaking.
    const echoes = await Promise.all(messages.map((m) => this.deps.isOwnMessage(m.channel, m.providerMessageId)));
    await db.transaction().execute(async (trx) => {
      const executor = transactionExecutor(trx);
      for (const [i, message] of messages.entries()) {
        if (echoes[i] === true) {
          results.push({ providerMessageId: message.providerMessageId, result: 'echo' });
          continue;
        }
        // A provider retrying a message still waiting finds its row: acknowledged, not queued twice.
        const stored = await this.deps.messages.insert(trx, message);
        if (stored) await jobs.send(job, { channel: message.channel, providerMessageId: message.providerMessageId }, { executor });
        results.push({ providerMessageId: message.providerMessageId, result: stored ? 'accepted' : 'duplicate' });
      }
    });
    if (results.some((r) => r.result === 'accepted')) jobs.wake(job);
    return results;
  }
}
