import type { Kysely, Transaction } from 'kysely';
import type { OutboundDelivery } from '../core/channel.js';
import { transactionExecutor } from '../db/connection.js';
import type { OutboundMessages } from '../db/outbound-messages.js';
import type { Database } from '../db/schema.js';
import type { JobDefinition } from './job-definition.js';
import type { OutboundDeliveryData } from './outbound-delivery-job.js';
import type { JobQueue } from './queue.js';

/**
 * Where replies enter delivery: each becomes an `outbound_messages` row, and its conversation
 * gets a delivery job, in one transaction, so a stored row always has a job to send it.
 */
export class OutboundQueue {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      messages: OutboundMessages;
      jobs: JobQueue;
      job: JobDefinition<OutboundDeliveryData>;
    },
  ) {}

  /**
   * Stored replies queued outside the write path (tools, the delivery tests), each checked to be
   * a `said` event, in their own transaction; then the local workers are woken. Turns and agent
   * replies don't come here: they are `deliver` effects of their commit (jobs/effect-recorder.ts).
   */
  async enqueue(deliveries: readonly OutboundDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.messages.insertQueued(trx, deliveries);
      await this.nudgeIn(trx, deliveries);
    });
    this.wake();
  }

  /** Gives each conversation of `deliveries` a delivery job, inside the transaction that stores their rows. */
  async nudgeIn(trx: Transaction<Database>, deliveries: readonly OutboundDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const conversations = [...new Set(deliveries.map((d) => d.address.conversationId))];
    await this.deps.jobs.sendMany(
      this.deps.job,
      conversations.map((conversationId) => ({ conversationId })),
      { executor: transactionExecutor(trx) },
    );
  }

  /** Lets this instance's delivery workers start now instead of at their next poll. */
  wake(): void {
    this.deps.jobs.wake(this.deps.job);
  }

  /**
   * Gives every conversation with queued messages a fresh job (at start-up): a message whose
   * job was dead-lettered, say during a long database outage, is not left behind for good.
   * Harmless when a job exists: the worker drains by the rows' state.
   */
  async resumePending(limit = 1000): Promise<number> {
    const conversations = await this.deps.messages.conversationsWithQueued(limit);
    for (const conversationId of conversations) await this.deps.jobs.send(this.deps.job, { conversationId });
    if (conversations.length > 0) this.wake();
    return conversations.length;
  }
}
