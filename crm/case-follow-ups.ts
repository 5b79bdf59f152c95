import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.js';
import type { Notifier } from '../core/notifier.js';
import { refreshCaseSearch } from '../db/cases.js';
import { transactionExecutor } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { defineJob } from '../jobs/job-definition.js';
import type { JobLogger, JobQueue } from '../jobs/queue.js';
import type { CaseBroadcasts } from './broadcast.js';
import type { CaseViewer } from './case-access.js';
import type { CaseStore } from './case-store.js';
import { CaseReminders } from './case-reminders.js';
import { appendTimeline } from './case-timeline.js';

/** How far ahead a check-in may be set (as a conversation's follow-up). */
const MAX_AHEAD_MS = 90 * 24 * 60 * 60 * 1000;

/** "Case follow-up `id` fell due": its id only. */
export const caseFollowUpJob = defineJob({
  name: 'case-follow-up',
  schema: z.object({ followUpId: z.string().min(1).max(100) }),
  retryLimit: 10,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.followUpId,
});

export interface CaseFollowUpDeps {
  db: Kysely<Database>;
  store: CaseStore;
  broadcasts: CaseBroadcasts;
  jobs: JobQueue;
  notifier: Notifier;
  log: JobLogger;
  now?: () => Date;
}

export type CaseFollowUpOutcome = { kind: 'done' } | { kind: 'not_due'; dueAt: Date } | { kind: 'nothing' };

/**
 * Check-ins on a case (docs/profiles-and-cases.md "Follow-ups"): a durable job at the chosen
 * time, stored in the same transaction as the row and its timeline entry. When it falls due it
 * reminds the case's owner (an email through the notifications path, an entry under Reminders in
 * their console, and a `follow_up_due` entry every viewer of the case sees) and, if asked, messages every notified profile.
 */
export class CaseFollowUps {
  constructor(private readonly deps: CaseFollowUpDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async start(): Promise<void> {
    await this.deps.jobs.register(caseFollowUpJob);
    await this.deps.jobs.work(caseFollowUpJob, async ({ followUpId }) => {
      const outcome = await this.due(followUpId);
      // Clocks differ between instances: an early run waits for its time again.
      if (outcome.kind === 'not_due') await this.deps.jobs.send(caseFollowUpJob, { followUpId }, { startAfter: outcome.dueAt });
    });
  }

  async schedule(number: string, request: { at: string; note: string; notifyCustomer?: boolean | undefined }, viewer: CaseViewer): Promise<{ id: string; at: string; note: string; notifyCustomer: boolean }> {
    const row = await this.deps.store.visible(number, viewer);
    const now = this.now();
    const due = new Date(request.at);
    if (due.getTime() <= now.getTime()) throw invalid('must be later than now');
    if (due.getTime() - now.getTime() > MAX_AHEAD_MS) throw invalid('must be at most 90 days ahead');
    const id = randomUUID();
    const notifyCustomer = request.notifyCustomer ?? false;
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('case_follow_ups').values({ id, case_id: row.id, due_at: due, note: request.note, notify_customer: notifyCustomer, created_by: viewer.id }).execute();
      await appendTimeline(trx, row.id, [{ actor: viewer.id, kind: 'follow_up_scheduled', text: request.note, data: { followUpId: id, dueAt: due.toISOString(), notifyCustomer } }]);
      await refreshCaseSearch(trx, [row.id]);
      await this.deps.jobs.send(caseFollowUpJob, { followUpId: id }, { startAfter: due, singletonKey: id, executor: transactionExecutor(trx) });
    });
    return { id, at: due.toISOString(), note: request.note, notifyCustomer };
  }

  /** Runs a follow-up that fell due, once: the row is claimed before anything is sent. */
  async due(followUpId: string): Promise<CaseFollowUpOutcome> {
    const { db } = this.deps;
    const pending = await db.selectFrom('case_follow_ups').selectAll().where('id', '=', followUpId).executeTakeFirst();
    if (pending === undefined || pending.status !== 'pending') return { kind: 'nothing' };
    const dueAt = new Date(pending.due_at);
    if (dueAt.getTime() > this.now().getTime()) return { kind: 'not_due', dueAt };
    const claimed = await db.updateTable('case_follow_ups').set({ status: 'done' }).where('id', '=', followUpId).where('status', '=', 'pending').returningAll().executeTakeFirst();
    if (claimed === undefined) return { kind: 'nothing' };
    const c = await db.selectFrom('cases').select(['id', 'assignee_id']).where('id', '=', claimed.case_id).executeTakeFirstOrThrow();
    const ownerId = c.assignee_id ?? claimed.created_by;
    const owner = await db.selectFrom('users').select(['id', 'email']).where('id', '=', ownerId).executeTakeFirst();
    let reminded = false;
    if (owner !== undefined) {
      try {
        await this.deps.notifier.send({ transport: 'email', to: owner.email, subject: `Follow up on case ${c.id}`, body: `Your check-in on case ${c.id} is due:\n\n${claimed.note}` }, { effectKey: `case-follow-up:${claimed.id}` });
        reminded = true;
      } catch (error) {
        // The timeline entry below still tells the owner on the case itself.
        this.deps.log.warn({ followUp: claimed.id, case: c.id, err: error }, 'case follow-up reminder email not sent');
      }
    }
    await db.transaction().execute(async (trx) => {
      // The owner also finds it under Reminders in the console, until they dismiss it.
      if (owner !== undefined) await CaseReminders.add(trx, { caseId: c.id, followUpId: claimed.id, userId: owner.id, note: claimed.note, dueAt });
      await appendTimeline(trx, c.id, [{ actor: 'system', kind: 'follow_up_due', text: claimed.note, data: { followUpId: claimed.id, ownerId, reminded, notifyCustomer: claimed.notify_customer } }]);
      await refreshCaseSearch(trx, [c.id]);
    });
    if (claimed.notify_customer) await this.deps.broadcasts.queue(c.id, claimed.note, 'system');
    return { kind: 'done' };
  }
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_VALIDATION', `at: ${message}`, [{ path: 'body.at', message }], { status: 422 });
}
