import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ProactiveNoticesTable } from './schema.js';

export type ProactiveNoticeRow = Selectable<ProactiveNoticesTable>;

export interface NewNotice {
  key: string;
  customerId: string;
  channel: string | null;
  /** Masked. */
  recipient: string | null;
  status: 'held' | 'queued' | 'skipped';
  reason: string | null;
  sendAfter: Date;
}


/**
 * The one notice each shop event produced (`proactive_notices`, keyed by the event's key): held
 * through quiet hours, queued, sent, failed, or skipped with the reason (no consent, opted out).
 * A notice is sent by whoever claims it first; a sent, failed or skipped one never moves again.
 */
export class ProactiveNotices {
  constructor(private readonly db: Kysely<Database>) {}

  static async insert(trx: Pick<Kysely<Database>, 'insertInto'>, notices: readonly NewNotice[]): Promise<void> {
    if (notices.length === 0) return;
    await trx
      .insertInto('proactive_notices')
      .values(
        notices.map((n) => ({
          idempotency_key: n.key,
          customer_id: n.customerId,
          channel: n.channel,
          recipient: n.recipient,
          status: n.status,
          reason: n.reason,
          send_after: n.sendAfter,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  /** Takes the notice for one send attempt; null when it is not waiting (sent, skipped, another sender has it). */
  async claim(key: string): Promise<ProactiveNoticeRow | null> {
    const row = await this.db
      .updateTable('proactive_notices')
      .set({ status: 'queued', reason: 'sending', attempts: sql<number>`attempts + 1`, updated_at: sql<Date>`now()` })
      .where('idempotency_key', '=', key)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', 'in', ['held', 'queued']), eb.or([eb('reason', 'is', null), eb('reason', '<>', 'sending')])]),
          eb.and([eb('status', '=', 'queued'), eb('reason', '=', 'sending'), eb('updated_at', '<', sql<Date>`now() - interval '5 minutes'`)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async get(key: string): Promise<ProactiveNoticeRow | null> {
    return (await this.db.selectFrom('proactive_notices').selectAll().where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
  }

  async finish(key: string, outcome: { status: 'sent' | 'failed' | 'skipped'; reason: string | null; via?: string | null; providerMessageId?: string | null }): Promise<void> {
    await this.db
      .updateTable('proactive_notices')
      .set({ status: outcome.status, reason: outcome.reason, via: outcome.via ?? null, provider_message_id: outcome.providerMessageId ?? null, updated_at: sql<Date>`now()` })
      .where('idempotency_key', '=', key)
      .execute();
  }

  /** The attempt did not send; the job's retry takes it again. */
  async release(key: string, reason: string, status: 'held' | 'queued' = 'queued', sendAfter?: Date): Promise<void> {
    await this.db
      .updateTable('proactive_notices')
      .set({ status, reason, updated_at: sql<Date>`now()`, ...(sendAfter !== undefined ? { send_after: sendAfter } : {}) })
      .where('idempotency_key', '=', key)
      .execute();
  }

  /** Notices waiting whose time has come by `now` (quiet hours over). */
  async due(now: Date, limit = 200): Promise<string[]> {
    const rows = await this.db
      .selectFrom('proactive_notices')
      .select('idempotency_key')
      .where('status', 'in', ['held', 'queued'])
      .where('send_after', '<=', now)
      .orderBy('send_after')
      .limit(limit)
      .execute();
    return rows.map((r) => r.idempotency_key);
  }

  async forCustomer(customerId: string): Promise<ProactiveNoticeRow[]> {
    return this.db.selectFrom('proactive_notices').selectAll().where('customer_id', '=', customerId).orderBy('created_at').execute();
  }
}
