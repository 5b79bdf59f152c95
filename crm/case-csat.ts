import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { CaseCsatOutcome } from '../core/case-api.js';
import { DeliveryError } from '../core/channel.js';
import { maskRecipient, NoTransportError, type Notifier } from '../core/notifier.js';
import { refreshCaseSearch } from '../db/cases.js';
import { transactionExecutor } from '../db/connection.js';
import type { CaseCsatTable, Database } from '../db/schema.js';
import { defineJob } from '../jobs/job-definition.js';
import { JobFailure } from '../jobs/job-failure.js';
import type { JobLogger, JobQueue } from '../jobs/queue.js';
import { caseRecipientRoute } from './broadcast.js';
import { appendTimeline } from './case-timeline.js';
import { CASE_CSAT_COPY_EN, type CaseCsatCopy } from './copy/case-csat.js';

/** "Send this case's satisfaction question": the row's id only, never an address or the link. */
export const caseCsatJob = defineJob({
  name: 'case-csat',
  schema: z.object({ csatId: z.string().min(1).max(100) }),
  retryLimit: 6,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.csatId,
});

const MAX_ATTEMPTS = 6;
/** The email's links are answered for 28 days (a help desk's usual survey life). */
export const LINK_WINDOW_MS = 28 * 24 * 60 * 60 * 1000;
/** A bare number by SMS is read as the rating for 3 days: later it is more likely something else. */
export const REPLY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/** A comment by SMS is taken for an hour after the rating, as in the conversation survey. */
export const COMMENT_WINDOW_MS = 60 * 60 * 1000;

export type CaseCsatRow = Selectable<CaseCsatTable>;

export interface CaseSatisfactionDeps {
  db: Kysely<Database>;
  jobs: JobQueue;
  notifier: Notifier;
  shopName: string;
  /** Where the email's rating links point (PUBLIC_URL). */
  publicUrl: () => string;
  /** Signs the links (a key derived from SESSION_SECRET). */
  secret: string;
  log: JobLogger;
  copy?: CaseCsatCopy;
  now?: () => Date;
}

/**
 * The satisfaction question after a case is resolved (docs/profiles-and-cases.md "Satisfaction
 * after a resolution"). Planned in the resolving transaction — one row per resolution, the
 * resolving timeline entry being unique — and sent by a durable job to the primary notified
 * profile on its preferred channel: by SMS a reply with one number, by email one signed link per
 * score. Answers are recorded on the case once: the rating, then an optional comment.
 */
export class CaseSatisfaction {
  private readonly copy: CaseCsatCopy;

  constructor(private readonly deps: CaseSatisfactionDeps) {
    this.copy = deps.copy ?? CASE_CSAT_COPY_EN;
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async start(): Promise<void> {
    await this.deps.jobs.register(caseCsatJob);
    await this.deps.jobs.work(caseCsatJob, async ({ csatId }) => {
      await this.deliver(csatId);
    });
  }

  /** On the transaction that resolved the case (`resolutionEntry`: its status_changed entry): whom to ask, queued with its job. */
  async plan(trx: Transaction<Database>, caseId: string, resolutionEntry: string, actor: string): Promise<CaseCsatOutcome> {
    const notified = await trx
      .selectFrom('case_profiles as cp')
      .innerJoin('customers as c', 'c.id', 'cp.customer_id')
      .select(['c.id', 'c.email', 'c.phone', 'c.preferred_channel', 'cp.role'])
      .where('cp.case_id', '=', caseId)
      .where('cp.notify', '=', true)
      .orderBy('cp.added_at')
      .orderBy('cp.customer_id')
      .execute();
    // The person the case is about; without a notified primary, the first notified profile.
    const chosen = notified.find((p) => p.role === 'primary') ?? notified[0];
    const refuse = async (reason: 'no_notified_profile' | 'no_address', message: string): Promise<CaseCsatOutcome> => {
      await appendTimeline(trx, caseId, [{ actor, kind: 'csat_requested', text: message, data: { sent: false, reason, ...(chosen !== undefined ? { customerId: chosen.id } : {}) } }]);
      return { asked: false, reason, message };
    };
    if (chosen === undefined) return refuse('no_notified_profile', 'No satisfaction rating was asked: no profile linked to the case is notified');
    const route = caseRecipientRoute(chosen);
    if (route === null) return refuse('no_address', `No satisfaction rating was asked: profile ${chosen.id} has no email or phone`);
    const id = randomUUID();
    const recipient = maskRecipient(route.transport, route.to);
    await trx
      .insertInto('case_csat')
      .values({ id, case_id: caseId, resolution_entry: resolutionEntry, customer_id: chosen.id, transport: route.transport, recipient, token_hash: hashOf(this.tokenOf(id)), created_by: actor, asked_at: this.now() })
      .execute();
    await appendTimeline(trx, caseId, [{ actor, kind: 'csat_requested', text: `Satisfaction rating asked by ${route.transport}`, data: { sent: true, csatId: id, customerId: chosen.id, transport: route.transport, recipient } }]);
    await this.deps.jobs.send(caseCsatJob, { csatId: id }, { singletonKey: id, executor: transactionExecutor(trx) });
    return { asked: true, csatId: id, customerId: chosen.id, transport: route.transport, recipient };
  }

  wake(): void {
    this.deps.jobs.wake(caseCsatJob);
  }

  /** One attempt at sending the question; a sent or failed row is final. */
  async deliver(csatId: string): Promise<void> {
    const { db, log } = this.deps;
    const claimed = await db
      .updateTable('case_csat')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', csatId)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) return;
    const customer = await db.selectFrom('customers').select(['email', 'phone', 'preferred_channel']).where('id', '=', claimed.customer_id).executeTakeFirst();
    const route = customer === undefined ? null : caseRecipientRoute(customer);
    if (route === null || route.transport !== claimed.transport) {
      await this.finish(claimed, 'failed', 'no_address');
      return;
    }
    const notification =
      route.transport === 'sms'
        ? { transport: 'sms' as const, to: route.to, subject: this.copy.emailSubject(claimed.case_id), body: this.copy.smsQuestion(claimed.case_id, this.deps.shopName) }
        : { transport: 'email' as const, to: route.to, subject: this.copy.emailSubject(claimed.case_id), body: this.emailBody(claimed) };
    try {
      await this.deps.notifier.send(notification, { effectKey: `case-csat:${claimed.id}` });
      await this.finish(claimed, 'sent', null);
    } catch (error) {
      const final = error instanceof NoTransportError || (error instanceof DeliveryError && (error.failure.kind === 'rejected' || error.failure.kind === 'unknown_outcome'));
      const reason = error instanceof NoTransportError ? 'no_transport' : error instanceof DeliveryError ? error.failure.kind : 'unavailable';
      if (final || claimed.attempts >= MAX_ATTEMPTS) {
        await this.finish(claimed, 'failed', final ? reason : 'retries_exhausted');
        log.warn({ csat: claimed.id, case: claimed.case_id, reason }, 'case satisfaction question not delivered');
        return;
      }
      await db.updateTable('case_csat').set({ reason }).where('id', '=', claimed.id).execute();
      throw new JobFailure('unavailable');
    }
  }

  /** The question waiting for this link's answer (null: a made-up link). */
  async byToken(token: string): Promise<CaseCsatRow | null> {
    if (token.length === 0 || token.length > 200) return null;
    return (await this.deps.db.selectFrom('case_csat').selectAll().where('token_hash', '=', hashOf(token)).executeTakeFirst()) ?? null;
  }

  /** Whether the link is still answered (28 days after the question). */
  linkOpen(row: CaseCsatRow): boolean {
    return this.now().getTime() - new Date(row.asked_at).getTime() <= LINK_WINDOW_MS;
  }

  /** The question a message from this address may answer: a rating awaited, or a comment after one. */
  async awaitingReply(transport: 'email' | 'sms', address: string): Promise<{ row: CaseCsatRow; awaits: 'rating' | 'comment' } | null> {
    const now = this.now().getTime();
    const rows = await this.deps.db
      .selectFrom('case_csat as q')
      .innerJoin('customers as c', 'c.id', 'q.customer_id')
      .selectAll('q')
      .where('q.transport', '=', transport)
      .where('q.status', '=', 'sent')
      .where('q.commented', '=', false)
      .where(transport === 'sms' ? 'c.phone' : 'c.email', '=', address)
      .where('q.asked_at', '>', new Date(now - REPLY_WINDOW_MS))
      .orderBy('q.asked_at', 'desc')
      .limit(1)
      .execute();
    const row = rows[0];
    if (row === undefined) return null;
    if (row.score === null) return { row, awaits: 'rating' };
    if (row.rated_at !== null && now - new Date(row.rated_at).getTime() <= COMMENT_WINDOW_MS) return { row, awaits: 'comment' };
    return null;
  }

  /** Records the rating (and a comment given with it), once: false when this question was rated already. */
  async rate(id: string, score: number, comment: string | null, via: 'sms' | 'email' | 'link'): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const at = this.now();
      const rated = await trx
        .updateTable('case_csat')
        .set({ score, rated_at: at, ...(comment !== null ? { comment, commented: true } : {}) })
        .where('id', '=', id)
        .where('score', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (rated === undefined) return false;
      await appendTimeline(trx, rated.case_id, [
        { actor: 'customer', kind: 'csat_rated', text: `Satisfaction ${score}/5`, data: { csatId: id, customerId: rated.customer_id, score, via }, at },
        ...(comment !== null ? [{ actor: 'customer', kind: 'csat_commented' as const, text: comment, data: { csatId: id, customerId: rated.customer_id, via }, at }] : []),
      ]);
      await refreshCaseSearch(trx, [rated.case_id]);
      return true;
    });
  }

  /** Records the comment after a rating (null: "nothing to add"), once. */
  async comment(id: string, comment: string | null, via: 'sms' | 'email'): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const done = await trx.updateTable('case_csat').set({ comment, commented: true }).where('id', '=', id).where('score', 'is not', null).where('commented', '=', false).returningAll().executeTakeFirst();
      if (done === undefined) return false;
      if (comment !== null) {
        await appendTimeline(trx, done.case_id, [{ actor: 'customer', kind: 'csat_commented', text: comment, data: { csatId: id, customerId: done.customer_id, via }, at: this.now() }]);
        await refreshCaseSearch(trx, [done.case_id]);
      }
      return true;
    });
  }

  /** The link for one score; the token is an HMAC of the row's id, so only its hash is stored. */
  linkFor(id: string, score: number): string {
    return `${this.deps.publicUrl()}/satisfaction/${this.tokenOf(id)}?score=${score}`;
  }

  private tokenOf(id: string): string {
    return createHmac('sha256', createHmac('sha256', this.deps.secret).update('case-csat-link').digest()).update(id).digest('base64url');
  }

  private emailBody(row: CaseCsatRow): string {
    const links = [1, 2, 3, 4, 5].map((score) => `${this.copy.emailScore(score)}: ${this.linkFor(row.id, score)}`).join('\n');
    return `${this.copy.emailIntro(row.case_id, this.deps.shopName)}\n\n${links}\n\n${this.copy.emailOutro}\n\n— ${this.deps.shopName} support`;
  }

  private async finish(row: CaseCsatRow, status: 'sent' | 'failed', reason: string | null): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('case_csat').set({ status, reason }).where('id', '=', row.id).execute();
      await appendTimeline(trx, row.case_id, [
        { actor: 'system', kind: 'message_sent', text: status === 'sent' ? 'Satisfaction question sent' : 'Satisfaction question not sent', data: { csatId: row.id, customerId: row.customer_id, transport: row.transport, recipient: row.recipient, status, reason } },
      ]);
    });
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
