import type { Kysely, Transaction } from 'kysely';
import type { CaseReminder } from '../core/case-api.js';
import { SwitchboardError } from '../core/errors.js';
import type { Database } from '../db/schema.js';

/**
 * Reminders in the console (docs/profiles-and-cases.md "Follow-ups"): a follow-up that fell due
 * is one entry for its owner, listed under **Reminders** until they dismiss it. The email still
 * goes out; this is what the owner sees without leaving the console.
 */
export class CaseReminders {
  constructor(private readonly db: Kysely<Database>) {}

  /** On the transaction that records the follow-up as due; once per follow-up. */
  static async add(trx: Transaction<Database>, reminder: { caseId: string; followUpId: string; userId: string; note: string; dueAt: Date }): Promise<void> {
    await trx
      .insertInto('case_reminders')
      .values({ case_id: reminder.caseId, follow_up_id: reminder.followUpId, user_id: reminder.userId, note: reminder.note, due_at: reminder.dueAt })
      .onConflict((oc) => oc.column('follow_up_id').doNothing())
      .execute();
  }

  /** The user's reminders not dismissed yet, oldest due first. */
  async open(userId: string): Promise<CaseReminder[]> {
    const rows = await this.db.selectFrom('case_reminders').selectAll().where('user_id', '=', userId).where('dismissed_at', 'is', null).orderBy('due_at').orderBy('id').limit(100).execute();
    return rows.map((r) => ({ id: r.id, caseNumber: r.case_id, note: r.note, dueAt: new Date(r.due_at).toISOString(), createdAt: new Date(r.created_at).toISOString() }));
  }

  /** Dismisses one of the user's own reminders; someone else's is 404, as a missing one. */
  async dismiss(id: number, userId: string, at: Date = new Date()): Promise<void> {
    const done = await this.db.updateTable('case_reminders').set({ dismissed_at: at }).where('id', '=', id).where('user_id', '=', userId).returning('id').executeTakeFirst();
    if (done === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No reminder ${id} of yours`);
  }
}
