import { transactionExecutor } from '../db/connection.js';
import type { ConversationCommit, EffectRecorder, RecordedEffects } from '../db/event-writer.js';
import { nextResponseCheckJob, type NextResponseCheckData } from './next-response-job.js';
import type { SlaCheckData } from './sla-check-job.js';
import { slaCheckJob } from './sla-check-job.js';
import type { JobQueue } from './queue.js';

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
 * Wraps the effect recorder so a handoff's SLA checks (and each waiting customer message's
 * next-response check) are durable jobs stored in the very transaction that records them: they exist iff the handoff does (no timer in memory, no
 * window in which a crash loses them), and they survive restarts in pg-boss.
 */
export class SlaScheduling implements EffectRecorder {
  constructor(
    private readonly inner: EffectRecorder,
    private readonly jobs: JobQueue,
    /** Without it no next-response checks are scheduled (writers that store no customer messages). */
    private readonly nextResponseDue?: NextResponseDue,
  ) {}

  prepare(commits: readonly ConversationCommit[]): RecordedEffects {
    const recorded = this.inner.prepare(commits);
    const checks = slaChecksOf(commits);
    const nextResponses = this.nextResponseDue !== undefined ? nextResponseChecksOf(commits, this.nextResponseDue) : [];
    if (checks.length === 0 && nextResponses.length === 0) return recorded;
    const { inTransaction } = recorded;
    return {
      outbound: recorded.outbound,
      inTransaction: async (trx) => {
        if (inTransaction !== null) await inTransaction(trx);
        const executor = transactionExecutor(trx);
        for (const check of checks) await this.jobs.send(slaCheckJob, check.data, { startAfter: check.dueAt, executor });
        for (const check of nextResponses) await this.jobs.send(nextResponseCheckJob, check, { startAfter: new Date(check.dueAt), executor });
      },
      committed: () => recorded.committed(),
    };
  }
}
