import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DeliveryError } from '../core/channel.js';
import { maskRecipient, NoTransportError, type NotificationTransport, type Notifier } from '../core/notifier.js';
import { refreshCaseSearch } from '../db/cases.js';
import { transactionExecutor } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { defineJob } from '../jobs/job-definition.js';
import { JobFailure } from '../jobs/job-failure.js';
import type { JobLogger, JobQueue } from '../jobs/queue.js';
import { assertMayBroadcast, type CaseViewer } from './case-access.js';
import type { CaseStore } from './case-store.js';
import { appendTimeline } from './case-timeline.js';

/** "Send this recipient's copy of a case update": the delivery row's id only, never an address. */
export const caseDeliveryJob = defineJob({
  name: 'case-delivery',
  schema: z.object({ deliveryId: z.string().min(1).max(100) }),
  retryLimit: 6,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.deliveryId,
});

/** Runs of one delivery before it is failed for good. */
const MAX_ATTEMPTS = 6;

export interface CaseBroadcastDeps {
  db: Kysely<Database>;
  store: CaseStore;
  jobs: JobQueue;
  /** The notification router: SMTP / Twilio where configured, the development outbox otherwise. */
  notifier: Notifier;
  shopName: string;
  log: JobLogger;
}

export type BroadcastDelivery = Awaited<ReturnType<CaseStore['detail']>>['deliveries'][number];

/**
 * One update to every notified profile linked to a case (docs/profiles-and-cases.md
 * "Broadcast"): a delivery row per recipient on the profile's preferred channel (email or SMS,
 * whichever it can be reached on), committed with its job and a timeline entry, then sent by the
 * job through the notifications path. Each recipient's outcome is its own: one that fails
 * (an unroutable number) is `failed` with the reason while the others are sent, and every
 * outcome is recorded in the case's timeline.
 */
export class CaseBroadcasts {
  constructor(private readonly deps: CaseBroadcastDeps) {}

  async start(): Promise<void> {
    await this.deps.jobs.register(caseDeliveryJob);
    await this.deps.jobs.work(caseDeliveryJob, async ({ deliveryId }) => {
      await this.deliver(deliveryId);
    });
  }

  async broadcast(number: string, text: string, viewer: CaseViewer): Promise<{ broadcastId: string; deliveries: BroadcastDelivery[] }> {
    const row = await this.deps.store.visible(number, viewer);
    assertMayBroadcast(viewer, row);
    const broadcastId = await this.queue(row.id, text, viewer.id);
    const detail = await this.deps.store.detail(row.id, viewer);
    return { broadcastId, deliveries: detail.deliveries.filter((d) => d.broadcastId === broadcastId) };
  }

  /** Queues one copy of `text` for every notified profile of the case (a broadcast, a follow-up that messages the customer). */
  async queue(caseId: string, text: string, actor: string): Promise<string> {
    const row = { id: caseId };
    const recipients = await this.deps.db
      .selectFrom('case_profiles as cp')
      .innerJoin('customers as c', 'c.id', 'cp.customer_id')
      .select(['c.id', 'c.email', 'c.phone', 'c.preferred_channel'])
      .where('cp.case_id', '=', row.id)
      .where('cp.notify', '=', true)
      .orderBy('cp.customer_id')
      .execute();
    const broadcastId = randomUUID();
    const body = `${text}\n\n— ${this.deps.shopName} support, about case ${row.id}`;
    const planned = recipients.map((r) => {
      const route = caseRecipientRoute(r);
      return {
        id: randomUUID(),
        case_id: row.id,
        broadcast_id: broadcastId,
        customer_id: r.id,
        transport: route?.transport ?? 'none',
        recipient: route === null ? '(no email or phone)' : maskRecipient(route.transport, route.to),
        body,
        status: route === null ? ('failed' as const) : ('queued' as const),
        reason: route === null ? 'no_address' : null,
        created_by: actor,
      };
    });
    await this.deps.db.transaction().execute(async (trx) => {
      if (planned.length > 0) await trx.insertInto('case_deliveries').values(planned).execute();
      await appendTimeline(trx, row.id, [
        { actor, kind: 'message_sent', text, data: { broadcastId, recipients: planned.length } },
        ...planned.filter((p) => p.status === 'failed').map((p) => ({ actor: 'system', kind: 'message_sent' as const, data: { broadcastId, deliveryId: p.id, customerId: p.customer_id, status: 'failed', reason: p.reason } })),
      ]);
      await refreshCaseSearch(trx, [row.id]);
      const executor = transactionExecutor(trx);
      for (const p of planned) if (p.status === 'queued') await this.deps.jobs.send(caseDeliveryJob, { deliveryId: p.id }, { singletonKey: p.id, executor });
    });
    this.deps.jobs.wake(caseDeliveryJob);
    return broadcastId;
  }

  /** One attempt at one recipient's copy; a sent or failed row is final (a retried job finds it so). */
  async deliver(deliveryId: string): Promise<void> {
    const { db, log } = this.deps;
    const claimed = await db
      .updateTable('case_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', deliveryId)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) return;
    // The address as it is now, read again: the row holds only the masked one.
    const customer = await db.selectFrom('customers').select(['id', 'email', 'phone', 'preferred_channel']).where('id', '=', claimed.customer_id).executeTakeFirst();
    const route = customer === undefined ? null : caseRecipientRoute(customer);
    if (route === null || route.transport !== claimed.transport) {
      await this.finish(claimed, { status: 'failed', reason: 'no_address' });
      return;
    }
    try {
      const receipt = await this.deps.notifier.send({ transport: route.transport, to: route.to, subject: `Update on your case ${claimed.case_id}`, body: claimed.body }, { effectKey: `case:${claimed.id}` });
      await this.finish(claimed, { status: 'sent', reason: null, via: receipt.via, providerMessageId: receipt.providerMessageId });
    } catch (error) {
      const final = error instanceof NoTransportError || (error instanceof DeliveryError && (error.failure.kind === 'rejected' || error.failure.kind === 'unknown_outcome'));
      const reason = error instanceof NoTransportError ? 'no_transport' : error instanceof DeliveryError ? error.failure.kind : 'unavailable';
      if (final || claimed.attempts >= MAX_ATTEMPTS) {
        await this.finish(claimed, { status: 'failed', reason: final ? reason : 'retries_exhausted' });
        log.warn({ delivery: claimed.id, case: claimed.case_id, reason }, 'case update not delivered to one recipient');
        return;
      }
      await db.updateTable('case_deliveries').set({ reason, updated_at: new Date() }).where('id', '=', claimed.id).execute();
      throw new JobFailure('unavailable');
    }
  }

  private async finish(
    row: { id: string; case_id: string; broadcast_id: string; customer_id: string; transport: string; recipient: string },
    outcome: { status: 'sent' | 'failed'; reason: string | null; via?: string; providerMessageId?: string | null },
  ): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('case_deliveries')
        .set({ status: outcome.status, reason: outcome.reason, via: outcome.via ?? null, provider_message_id: outcome.providerMessageId ?? null, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
      await appendTimeline(trx, row.case_id, [
        {
          actor: 'system',
          kind: 'message_sent',
          data: { broadcastId: row.broadcast_id, deliveryId: row.id, customerId: row.customer_id, transport: row.transport, recipient: row.recipient, status: outcome.status, reason: outcome.reason },
        },
      ]);
    });
  }
}

/** The profile's preferred channel where it can be reached there; otherwise email, then SMS. */
export function caseRecipientRoute(c: { email: string; phone: string | null; preferred_channel: string }): { transport: NotificationTransport; to: string } | null {
  const email = c.email !== '' ? c.email : null;
  const wantsPhone = c.preferred_channel === 'sms' || c.preferred_channel === 'whatsapp';
  if (wantsPhone && c.phone !== null) return { transport: 'sms', to: c.phone };
  if (email !== null) return { transport: 'email', to: email };
  if (c.phone !== null) return { transport: 'sms', to: c.phone };
  return null;
}
