import { transactionExecutor } from '../db/connection.js';
import type { ConversationCommit, EffectRecorder, RecordedEffects } from '../db/event-writer.js';
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

/**
 * Wraps the effect recorder so a handoff's SLA checks are durable jobs stored in the very
 * transaction that records the handoff: they exist iff the handoff does (no timer in memory, no
 * window in which a crash loses them), and they survive restarts in pg-boss.
 */
export class SlaScheduling implements EffectRecorder {
  constructor(
    private readonly inner: EffectRecorder,
    private readonly jobs: JobQueue,
  ) {}

  prepare(commits: readonly ConversationCommit[]): RecordedEffects {
    const recorded = this.inner.prepare(commits);
    const checks = slaChecksOf(commits);
    if (checks.length === 0) return recorded;
    const { inTransaction } = recorded;
    return {
      outbound: recorded.outbound,
      inTransaction: async (trx) => {
        if (inTransaction !== null) await inTransaction(trx);
        const executor = transactionExecutor(trx);
        for (const check of checks) await this.jobs.send(slaCheckJob, check.data, { startAfter: check.dueAt, executor });
      },
      committed: () => recorded.committed(),
    };
  }
}
