import type { Insertable, Transaction } from 'kysely';
import type { ChannelSender, OutboundDelivery } from '../core/channel.js';
import type { CaseToOpen } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import { insertOpenedCases, type CasePlacement } from '../db/cases.js';
import type { ChannelName } from '../core/message.js';
import { transactionExecutor } from '../db/connection.js';
import type { ConversationEffects, EffectKey, RecordedEffect } from '../db/conversation-effects.js';
import type { ConversationCommit, EffectRecorder, RecordedEffects } from '../db/event-writer.js';
import { outboundRow } from '../db/outbound-messages.js';
import type { Database, OutboundMessagesTable } from '../db/schema.js';
import type { ConversationEffectsData } from './conversation-effects-job.js';
import { idempotencyKey } from './delivery-worker.js';
import type { JobDefinition } from './job-definition.js';
import type { OutboundQueue } from './outbound-queue.js';
import type { JobLogger, JobQueue } from './queue.js';

/**
 * Where a committed change's effects become rows: replies as `outbound_messages` (the delivery
 * worker sends them), everything else as `conversation_effects` (the effect worker runs them),
 * each with its conversation's job, on the commit's own transaction. One insert per table for a
 * whole group commit. Replies on channels sent at commit (web chat: a publish on our own state
 * backend) are stored as sent and pushed by this instance once the commit is durable.
 */
export class ConversationEffectRecorder implements EffectRecorder {
  constructor(
    private readonly deps: {
      outbound: OutboundQueue;
      effects: ConversationEffects;
      jobs: JobQueue;
      job: JobDefinition<ConversationEffectsData>;
      senders: ReadonlyMap<ChannelName, ChannelSender>;
      log: JobLogger;
      /** Where the bot's cases land (their template); without it they are stored as opened. */
      placeCase?: CasePlacement;
    },
  ) {}

  prepare(commits: readonly ConversationCommit[]): RecordedEffects {
    const outbound: Array<Insertable<OutboundMessagesTable>> = [];
    const queued: OutboundDelivery[] = [];
    const pushes: OutboundDelivery[][] = [];
    const others: Array<EffectKey & { effect: RecordedEffect }> = [];
    const cases: CaseToOpen[] = [];
    for (const commit of commits) {
      const pushed: OutboundDelivery[] = [];
      commit.effects.forEach((effect, idx) => {
        if (effect.kind === 'open_case') {
          cases.push(effect.case);
          return;
        }
        if (effect.kind !== 'deliver') {
          others.push({ conversationId: commit.conversationId, seq: commit.firstSeq, idx, effect });
          return;
        }
        const { delivery } = effect;
        assertStoredReply(commit, delivery);
        const atCommit = this.atCommit(delivery);
        if (atCommit === null) {
          queued.push(delivery);
          outbound.push(outboundRow(delivery));
        } else {
          pushed.push(delivery);
          outbound.push(outboundRow(delivery, atCommit.receipt(idempotencyKey({ conversationId: delivery.address.conversationId, seq: delivery.seq }))));
        }
      });
      if (pushed.length > 0) pushes.push(pushed);
    }
    const needsTransaction = queued.length > 0 || others.length > 0 || cases.length > 0;
    return {
      outbound,
      inTransaction: needsTransaction ? (trx) => this.recordIn(trx, queued, others, cases) : null,
      committed: () => {
        for (const conversation of pushes) void this.push(conversation);
        if (queued.length > 0) this.deps.outbound.wake();
        if (others.length > 0) this.deps.jobs.wake(this.deps.job);
      },
    };
  }

  /** The cases opened, the jobs of queued replies, and the other effects with theirs, on the commit's transaction. */
  private async recordIn(
    trx: Transaction<Database>,
    queued: readonly OutboundDelivery[],
    others: ReadonlyArray<EffectKey & { effect: RecordedEffect }>,
    cases: readonly CaseToOpen[],
  ): Promise<void> {
    await insertOpenedCases(trx, cases, this.deps.placeCase);
    await this.deps.outbound.nudgeIn(trx, queued);
    if (others.length === 0) return;
    await this.deps.effects.insert(trx, others);
    const conversations = [...new Set(others.map((e) => e.conversationId))];
    await this.deps.jobs.sendMany(
      this.deps.job,
      conversations.map((conversationId) => ({ conversationId })),
      { executor: transactionExecutor(trx) },
    );
  }

  private atCommit(delivery: OutboundDelivery): NonNullable<ChannelSender['atCommit']> | null {
    return this.deps.senders.get(delivery.address.channel)?.atCommit ?? null;
  }

  /** One conversation's replies, in seq order. A failed push is logged: the client catches up by seq. */
  private async push(deliveries: readonly OutboundDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      const sender = this.deps.senders.get(delivery.address.channel);
      if (sender === undefined) return;
      try {
        await sender.send(delivery.address, delivery.message, { seq: delivery.seq, author: delivery.author, idempotencyKey: idempotencyKey({ conversationId: delivery.address.conversationId, seq: delivery.seq }) });
      } catch (error) {
        this.deps.log.warn({ conversationId: delivery.address.conversationId, seq: delivery.seq, channel: delivery.address.channel, err: error }, 'reply stored but not pushed; the client catches up by seq');
        return;
      }
    }
  }
}

/**
 * A delivery must send a `said` event of its own change to that conversation: the customer's own
 * message sent back would be an echo, and another conversation's reply a leak.
 */
function assertStoredReply(commit: ConversationCommit, delivery: OutboundDelivery): void {
  const event = commit.events[delivery.seq - commit.firstSeq];
  if (delivery.address.conversationId === commit.conversationId && event?.type === 'said') return;
  throw new SwitchboardError('SB_ERR_INTERNAL', 'Refused to deliver a message that is not a reply stored by the same change', [
    { path: 'effects.deliver.seq', message: event?.type === 'user_said' ? 'is the customer’s own message: never sent back to the channel' : 'is not a reply of this change' },
  ]);
}
