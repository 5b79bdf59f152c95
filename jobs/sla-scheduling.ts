import type { ConversationCommit } from '../db/event-writer.js';
import { commitJob, type CommitJob } from './jobs-in-commit.js';
import { nextResponseCheckJob, type NextResponseCheckData } from './next-response-job.js';
import type { SlaCheckData } from './sla-check-job.js';
import { slaCheckJob } from './sla-check-job.js';

/** The SLA checks a batch of commits sets in motion: two per `triaged` event with deadlines. */
export function slaChecksOf(commits: readonly ConversationCommit[]): Array<{ data: SlaCheckData; dueAt: Date }> {
  return commits.flatMap((commit) =>
    commit.events.flatMap((event, i) => {
      if (event.type !== 'triaged' || event.sla === undefined) return [];
      const handoffSeq = commit.firstSeq + i;
      return [
        { data: { conversationId: commit.conversationId, handoffSeq, kind: 'first_response' as const }, dueAt: new Date(event.sla.firstResponseDueAt) },
        { data: { conversationId: commit.conversationId, handoffSeq, kind: 'resolution' as const }, dueAt: new Date(event.sla.resolutionDueAt) },
      ];
    }),
  );
}

/** When a person of `team` must answer a customer message stored at `at` (`HandoffPolicy.nextResponseDue`). */
export type NextResponseDue = (team: string | null, at: Date) => Date;

/** The next-response checks a batch sets in motion: one per customer message stored while a person holds the conversation. */
export function nextResponseChecksOf(commits: readonly ConversationCommit[], due: NextResponseDue): NextResponseCheckData[] {
  return commits.flatMap((commit) => {
    if (commit.projection.status !== 'assigned') return [];
    return commit.events.flatMap((event, i) =>
      event.type === 'user_said' ? [{ conversationId: commit.conversationId, messageSeq: commit.firstSeq + i, dueAt: due(commit.projection.team, new Date(event.at)).toISOString() }] : [],
    );
  });
}

/**
 * The SLA jobs a batch of commits sets in motion (for `JobsInCommit`): a handoff's first-response
 * and resolution checks, and each waiting customer message's next-response check.
 */
export function slaJobsOf(commits: readonly ConversationCommit[], nextResponseDue: NextResponseDue): CommitJob[] {
  return [
    ...slaChecksOf(commits).map((check) => commitJob(slaCheckJob, check.data, check.dueAt)),
    ...nextResponseChecksOf(commits, nextResponseDue).map((check) => commitJob(nextResponseCheckJob, check, new Date(check.dueAt))),
  ];
}
