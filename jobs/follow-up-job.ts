import { z } from 'zod';
import type { ConversationCommit } from '../db/event-writer.js';
import type { FollowUps } from '../handoff/follow-ups.js';
import { defineJob } from './job-definition.js';
import { commitJob, type CommitJob } from './jobs-in-commit.js';
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

/** The follow-up jobs a batch of commits sets (for `JobsInCommit`): one per `follow_up_set`, due at its time. A cancelled one still runs and finds the cancellation in the log. */
export function followUpJobsOf(commits: readonly ConversationCommit[]): CommitJob[] {
  return commits.flatMap((commit) =>
    commit.events.flatMap((event) => (event.type === 'follow_up_set' ? [commitJob(followUpJob, { conversationId: commit.conversationId, followUpId: event.followUpId }, new Date(event.dueAt))] : [])),
  );
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
