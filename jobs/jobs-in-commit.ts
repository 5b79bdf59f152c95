import { transactionExecutor, type SqlExecutor } from '../db/connection.js';
import type { ConversationCommit, EffectRecorder, RecordedEffects } from '../db/event-writer.js';
import type { JobDefinition } from './job-definition.js';
import type { JobQueue } from './queue.js';

/** A durable job a commit sets in motion (an SLA check, a follow-up), to run at `startAfter`. */
export interface CommitJob {
  send(jobs: JobQueue, executor: SqlExecutor): Promise<unknown>;
}

export function commitJob<T>(definition: JobDefinition<T>, data: T, startAfter: Date): CommitJob {
  return { send: (jobs, executor) => jobs.send(definition, data, { startAfter, executor }) };
}

/**
 * Wraps the effect recorder so the jobs a batch of commits sets in motion are stored in the very
 * transaction that records those events: they exist iff the events do (no timer in memory, no
 * window in which a crash loses them), and they survive restarts in pg-boss.
 */
export class JobsInCommit implements EffectRecorder {
  constructor(
    private readonly inner: EffectRecorder,
    private readonly jobs: JobQueue,
    private readonly jobsOf: (commits: readonly ConversationCommit[]) => CommitJob[],
  ) {}

  prepare(commits: readonly ConversationCommit[]): RecordedEffects {
    const recorded = this.inner.prepare(commits);
    const due = this.jobsOf(commits);
    if (due.length === 0) return recorded;
    const { inTransaction } = recorded;
    return {
      outbound: recorded.outbound,
      inTransaction: async (trx) => {
        if (inTransaction !== null) await inTransaction(trx);
        const executor = transactionExecutor(trx);
        for (const job of due) await job.send(this.jobs, executor);
      },
      committed: () => recorded.committed(),
    };
  }
}
