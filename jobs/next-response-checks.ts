import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationWrites } from '../core/conversation-writes.js';
import { nextResponseVerdict } from '../handoff/next-response.js';
import type { SlaVerdict } from '../handoff/sla.js';
import { nextResponseCheckJob, type NextResponseCheckData } from './next-response-job.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface NextResponseCheckDeps {
  writes: ConversationWrites;
  /** The conversation's whole stored log. */
  events(conversationId: string): Promise<ReadonlyArray<{ seq: number; event: ConversationEvent }>>;
  jobs: JobQueue;
  log: JobLogger;
  now?: () => Date;
}

/**
 * Runs due next-response checks as `SlaChecks` runs the handoff's: under the conversation's lock,
 * one `sla_breached` (kind next_response) when nobody answered the message in time, raising the
 * priority one level. A check that comes early is queued again for its due time.
 */
export class NextResponseChecks {
  constructor(private readonly deps: NextResponseCheckDeps) {}

  /** Runs one check now; `at` stands for the current time. */
  async check(data: NextResponseCheckData, at?: Date): Promise<SlaVerdict> {
    const { writes, events, log } = this.deps;
    const verdict = await writes.withConversation(data.conversationId, async (view) => {
      const found = nextResponseVerdict({ messageSeq: data.messageSeq, dueAt: data.dueAt, log: await events(data.conversationId), state: view.state, now: at ?? this.deps.now?.() ?? new Date() });
      return { events: found.kind === 'breached' ? [found.event] : [], effects: [], result: found };
    });
    if (verdict.kind === 'not_due') await this.deps.jobs.send(nextResponseCheckJob, data, { startAfter: verdict.dueAt });
    if (verdict.kind === 'breached') log.warn({ conversationId: data.conversationId, kind: 'next_response', priority: verdict.event.priority }, 'SLA breached');
    return verdict;
  }
}

/** Registers the next-response queue on a started `JobQueue` and starts this instance's checkers. */
export async function startNextResponseChecks(deps: NextResponseCheckDeps & { concurrency?: number }): Promise<NextResponseChecks> {
  await deps.jobs.register(nextResponseCheckJob);
  const checks = new NextResponseChecks(deps);
  await deps.jobs.work(nextResponseCheckJob, async (data) => {
    await checks.check(data);
  }, { concurrency: deps.concurrency ?? 1 });
  return checks;
}
