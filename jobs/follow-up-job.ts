import { z } from 'zod';
import { transactionExecutor } from '../db/connection.js';
import type { ConversationCommit, EffectRecorder, RecordedEffects } from '../db/event-writer.js';
import type { FollowUps } from '../handoff/follow-ups.js';
import { defineJob } from './job-definition.js';
import type { JobQueue } from './queue.js';

export const FollowUpDataSchema = z.object({ conversationId: z.string().min(1).max(200), followUpId: z.string().min(1).max(200) });
export type FollowUpData = z.infer<typeof FollowUpDataSchema>;

export const FOLLOW_UP_QUEUE = 'follow-up-due';

/** "Follow-up `followUpId` of the conversation fell due": ids only; the note stays in the log. */
export const followUpJob = defineJob({
  name: FOLLOW_UP_QUEUE,
  schema: FollowUpDataSchema,
  retryLimit: 10,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.conversationId,
});

/** The follow-up jobs a batch of commits sets: one per `follow_up_set`, due at its time. */
export function followUpsOf(commits: readonly ConversationCommit[]): Array<{ data: FollowUpData; dueAt: Date }> {
  return commits.flatMap((commit) =>
    commit.events.flatMap((event) => (event.type === 'follow_up_set' ? [{ data: { conversationId: commit.conversationId, followUpId: event.followUpId }, dueAt: new Date(event.dueAt) }] : [])),
  );
}

/**
 * Wraps the effect recorder so a follow-up's job is stored in the transaction that records the
 * `follow_up_set`: it exists iff the reminder does, and survives restarts in pg-boss. A cancelled
 * one still runs and finds the cancellation in the log.
 */
export class FollowUpScheduling implements EffectRecorder {
  constructor(
    private readonly inner: EffectRecorder,
    private readonly jobs: JobQueue,
  ) {}

  prepare(commits: readonly ConversationCommit[]): RecordedEffects {
    const recorded = this.inner.prepare(commits);
    const due = followUpsOf(commits);
    if (due.length === 0) return recorded;
    const { inTransaction } = recorded;
    return {
      outbound: recorded.outbound,
      inTransaction: async (trx) => {
        if (inTransaction !== null) await inTransaction(trx);
        const executor = transactionExecutor(trx);
        for (const job of due) await this.jobs.send(followUpJob, job.data, { startAfter: job.dueAt, executor });
      },
      committed: () => recorded.committed(),
    };
  }
}

/** Registers the follow-up queue on a started `JobQueue` and runs due reminders on this instance. */
export async function startFollowUps(deps: { jobs: JobQueue; followUps: FollowUps; concurrency?: number }): Promise<void> {
  await deps.jobs.register(followUpJob);
  await deps.jobs.work(followUpJob, async (data) => {
    const outcome = await deps.followUps.due(data.conversationId, data.followUpId);
    // Clocks differ between instances: an early run waits for its time again.
    if (outcome.kind === 'not_due') await deps.jobs.send(followUpJob, data, { startAfter: outcome.dueAt });
  }, { concurrency: deps.concurrency ?? 1 });
}
