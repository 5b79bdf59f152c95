import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationWrites } from '../core/conversation-writes.js';
import { slaVerdict, type SlaVerdict } from '../handoff/sla.js';
import { slaCheckJob, type SlaCheckData } from './sla-check-job.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface SlaCheckDeps {
  writes: ConversationWrites;
  /** The conversation's stored events after `afterSeq`. */
  events(conversationId: string, afterSeq: number): Promise<ReadonlyArray<{ seq: number; event: ConversationEvent }>>;
  jobs: JobQueue;
  log: JobLogger;
  now?: () => Date;
}

/**
 * Runs due SLA checks: under the conversation's lock (`withConversation`, the one write path),
 * reads the log from the handoff on and, when the target was missed, records one `sla_breached`
 * event that raises the priority one level; the live feed announces it to the team's consoles.
 * A check that comes early (clocks differ) is queued again for its due time.
 */
export class SlaChecks {
  constructor(private readonly deps: SlaCheckDeps) {}

  /** Runs one check now; `at` stands for the current time (a check "as if" its deadline had passed). */
  async check(data: SlaCheckData, at?: Date): Promise<SlaVerdict> {
    const { writes, events, log } = this.deps;
    const verdict = await writes.withConversation(data.conversationId, async (view) => {
      const found = slaVerdict({
        kind: data.kind,
        handoffSeq: data.handoffSeq,
        log: await events(data.conversationId, data.handoffSeq - 1),
        state: view.state,
        now: at ?? this.deps.now?.() ?? new Date(),
      });
      return { events: found.kind === 'breached' ? [found.event] : [], effects: [], result: found };
    });
    if (verdict.kind === 'not_due') await this.deps.jobs.send(slaCheckJob, data, { startAfter: verdict.dueAt });
    if (verdict.kind === 'breached') log.warn({ conversationId: data.conversationId, kind: data.kind, priority: verdict.event.priority }, 'SLA breached');
    return verdict;
  }
}

/** Registers the SLA queue on a started `JobQueue` and starts this instance's checkers. */
export async function startSlaChecks(deps: SlaCheckDeps & { concurrency?: number }): Promise<SlaChecks> {
  await deps.jobs.register(slaCheckJob);
  const checks = new SlaChecks(deps);
  await deps.jobs.work(slaCheckJob, async (data) => {
    await checks.check(data);
  }, { concurrency: deps.concurrency ?? 1 });
  return checks;
}
