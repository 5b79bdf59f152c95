import type { Kysely } from 'kysely';
import { DeliveryError } from '../core/channel.js';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import type { CustomerChannel } from '../core/message.js';
import { maskRecipient, NoTransportError, type Notifier } from '../core/notifier.js';
import { transactionExecutor } from '../db/connection.js';
import { isOptedOut } from '../db/channel-opt-outs.js';
import { Consents } from '../db/consents.js';
import { ProactiveNotices, type NewNotice } from '../db/proactive-notices.js';
import type { Database } from '../db/schema.js';
import { ShopEvents, type StoredShopEvent } from '../db/shop-events.js';
import { JobFailure } from './job-failure.js';
import type { JobLogger, JobQueue } from './queue.js';
import { PROACTIVE_COPY } from '../channels/proactive/notice-copy.js';
import { proactiveNoticeJob } from './proactive-notice-job.js';
import { optOutKey, planNotice, type NoticePlan } from '../channels/proactive/notice-planner.js';
import { nextSendTime, type QuietHours } from '../channels/proactive/quiet-hours.js';
import type { WhatsAppNotices } from '../channels/proactive/whatsapp-notices.js';
import { ShopEventKindSchema, ShopEventsBodySchema, type ShopEvent, type ShopEventKind, type ShopEventsBody, type ShopEventsResult } from '../channels/proactive/shop-event-schema.js';

export interface ProactiveUpdatesDeps {
  db: Kysely<Database>;
  jobs: JobQueue;
  notifier: Notifier;
  quietHours: QuietHours | null;
  shopName: string;
  timeZone: string;
  log: JobLogger;
  /** WhatsApp (Twilio or the Cloud API) where configured: text inside the 24-hour window, the shipping_update template outside it. */
  whatsapp?: WhatsAppNotices;
  now?: () => Date;
}

/** Runs of one notice before it is failed for good. */
const MAX_ATTEMPTS = 8;

/**
 * Proactive order updates: the shop's order events (POST /admin/shop/events, or the admin
 * import) update the order and become, for a customer who consented, one notice on their
 * preferred channel. Event, consent, notice row and its job commit together; the notice is sent
 * by a job after the commit (held until quiet hours end), claimed on its row, so the same event
 * posted twice, a retry or a crash sends it once. Consent and opt-out are read again right
 * before sending: a "stop" that came while a notice was held is honoured.
 */
export class ProactiveUpdates {
  private readonly notices: ProactiveNotices;

  constructor(private readonly deps: ProactiveUpdatesDeps) {
    this.notices = new ProactiveNotices(deps.db);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async start(): Promise<void> {
    await this.deps.jobs.register(proactiveNoticeJob);
    await this.deps.jobs.work(proactiveNoticeJob, async ({ key }) => {
      await this.deliver(key);
    });
  }

  /** Validates the whole batch, then stores it in one transaction: nothing on any problem. */
  async report(input: unknown, source: 'webhook' | 'import' = 'webhook'): Promise<ShopEventsResult> {
    const parsed = ShopEventsBodySchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => describe(input, issue.path, issue.message)));
    const body = parsed.data;
    const owners = await ShopEvents.owners(this.deps.db, body.events.map((e) => e.orderNumber));
    const problems: ErrorDetail[] = [];
    body.events.forEach((e, i) => {
      if (!owners.has(e.orderNumber)) problems.push({ path: `events[${i}].orderNumber`, message: `order ${e.orderNumber} (event ${e.id}): no such order` });
    });
    const known = await this.knownCustomers(body.consents.map((c) => c.customerId));
    body.consents.forEach((c, i) => {
      if (!known.has(c.customerId)) problems.push({ path: `consents[${i}].customerId`, message: `customer ${c.customerId}: no such customer` });
    });
    if (problems.length > 0) throw invalid(problems);
    return this.store(body, owners, source);
  }

  /**
   * Runs a shop import (`run`) and turns each order it moved to shipped, out for delivery or
   * delivered into that status's event (id `import:<status>`: importing the same file again is the
   * same event, so it notifies once).
   */
  async afterImport<T>(body: unknown, run: () => Promise<T>): Promise<T> {
    const numbers = importedOrderNumbers(body);
    const before = await this.statuses(numbers);
    const result = await run();
    const after = await this.statuses(numbers);
    const events: ShopEvent[] = [];
    for (const [number, status] of after) {
      if (before.get(number) === status) continue;
      const kind = ShopEventKindSchema.safeParse(status);
      if (kind.success) events.push({ id: `import:${kind.data}`, orderNumber: number, kind: kind.data, at: this.now().toISOString() });
    }
    if (events.length > 0) await this.store({ events, consents: [] }, await ShopEvents.owners(this.deps.db, events.map((e) => e.orderNumber)), 'import');
    return result;
  }

  private async statuses(numbers: readonly string[]): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows = await this.deps.db.selectFrom('orders').select(['number', 'status']).where('number', 'in', [...new Set(numbers)]).execute();
    return new Map(rows.map((r) => [r.number, r.status]));
  }

  private async knownCustomers(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.deps.db.selectFrom('customers').select('id').where('id', 'in', [...new Set(ids)]).execute();
    return new Set(rows.map((r) => r.id));
  }

  private async store(body: ShopEventsBody, owners: ReadonlyMap<string, string>, source: 'webhook' | 'import'): Promise<ShopEventsResult> {
    const now = this.now();
    return this.deps.db.transaction().execute(async (trx) => {
      await Consents.record(
        trx,
        body.consents.map((c) => ({ customerId: c.customerId, channel: c.channel, granted: c.granted, at: new Date(c.at), source: 'admin' as const })),
      );
      const stored = await ShopEvents.record(trx, body.events, owners, source);
      const notices: NewNotice[] = [];
      for (const event of stored) notices.push(await this.decide(trx, event, now));
      await ProactiveNotices.insert(trx, notices);
      const executor = transactionExecutor(trx);
      for (const notice of notices) {
        if (notice.status === 'skipped') continue;
        const startAfter = Math.max(0, Math.ceil((notice.sendAfter.getTime() - now.getTime()) / 1000));
        await this.deps.jobs.send(proactiveNoticeJob, { key: notice.key }, { startAfter, singletonKey: notice.key, executor });
      }
      return {
        stored: stored.length,
        duplicates: body.events.length - stored.length,
        consents: body.consents.length,
        notices: stored.map((event, i) => ({ eventId: event.eventId, orderNumber: event.orderNumber, status: notices[i]!.status, reason: notices[i]!.reason })),
      };
    });
  }

  /** Where the event's notice goes and when, read on the event's transaction. */
  private async decide(trx: Kysely<Database>, event: StoredShopEvent, now: Date): Promise<NewNotice> {
    const plan = await this.plan(trx, event.customerId);
    const base = { key: event.key, customerId: event.customerId };
    if (plan.kind === 'skip') return { ...base, channel: null, recipient: null, status: 'skipped', reason: plan.reason, sendAfter: now };
    const sendAfter = nextSendTime(this.deps.quietHours, now);
    const held = sendAfter.getTime() > now.getTime();
    return { ...base, channel: plan.channel, recipient: maskRecipient(plan.transport, plan.to), status: held ? 'held' : 'queued', reason: held ? 'quiet_hours' : null, sendAfter };
  }

  private async plan(db: Kysely<Database>, customerId: string): Promise<NoticePlan> {
    const customer = await db.selectFrom('customers').select(['id', 'email', 'phone', 'preferred_channel']).where('id', '=', customerId).executeTakeFirst();
    if (customer === undefined) return { kind: 'skip', reason: 'no_reachable_channel' };
    const granted = await new Consents(db).grantedChannels(customerId);
    // A STOP texted to us (or Twilio's 21610) wins over any consent (db/channel-opt-outs.ts).
    const optedOut = new Set<string>();
    for (const [channel, address] of [['sms', customer.phone], ['whatsapp', customer.phone], ['email', customer.email]] as const) {
      if (address !== null && (await isOptedOut(db, channel, address))) optedOut.add(optOutKey(channel, address));
    }
    return planNotice({
      customer: { id: customer.id, email: customer.email, phone: customer.phone, preferredChannel: customer.preferred_channel as CustomerChannel },
      granted,
      optedOut,
      carries: (channel) => channel !== 'whatsapp' || this.deps.whatsapp !== undefined,
    });
  }

  /** The notice on WhatsApp: its text inside the window, else the shipping_update template filled with the customer's first name, the order and its status. */
  private async sendWhatsApp(key: string, phone: string, text: string, customerId: string, kind: ShopEventKind, orderNumber: string): Promise<{ via: string; providerMessageId: string }> {
    const whatsapp = this.deps.whatsapp;
    // The planner carries WhatsApp only with a sender.
    if (whatsapp === undefined) throw new NoTransportError('sms');
    const customer = await this.deps.db.selectFrom('customers').select('name').where('id', '=', customerId).executeTakeFirst();
    return whatsapp.send({
      key,
      phone,
      text,
      values: { customer_name: firstName(customer?.name) ?? 'there', order_number: orderNumber, shop_name: this.deps.shopName, status: PROACTIVE_COPY.templateStatus(kind) },
    });
  }

  /** Sends every notice whose quiet hours are over (what each notice's own job does at its time). */
  async releaseDue(): Promise<number> {
    let sent = 0;
    for (const key of await this.notices.due(this.now())) if (await this.deliver(key)) sent += 1;
    return sent;
  }

  /** One attempt at one notice; true when it went out now. */
  async deliver(key: string): Promise<boolean> {
    const { log } = this.deps;
    const waiting = await this.notices.get(key);
    if (waiting === null || (waiting.status !== 'held' && waiting.status !== 'queued')) return false;
    const now = this.now();
    if (waiting.send_after.getTime() > now.getTime()) {
      // Early (a clock moved, quiet hours changed): its own job comes back at the time.
      return false;
    }
    const claimed = await this.notices.claim(key);
    if (claimed === null) return false;
    const event = await this.deps.db.selectFrom('shop_events').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    if (event === undefined) {
      await this.notices.finish(key, { status: 'failed', reason: 'invalid_payload' });
      return false;
    }
    // Consent and opt-out as they stand now, not as they stood when the event came.
    const plan = await this.plan(this.deps.db, claimed.customer_id);
    if (plan.kind === 'skip') {
      await this.notices.finish(key, { status: 'skipped', reason: plan.reason });
      return false;
    }
    const details = event.details as { estimatedDelivery?: string | null; trackingUrl?: string | null };
    const copy = PROACTIVE_COPY.notice(event.kind, {
      shopName: this.deps.shopName,
      orderNumber: event.order_number,
      estimatedDelivery: details.estimatedDelivery ? new Date(details.estimatedDelivery) : null,
      trackingUrl: details.trackingUrl ?? null,
      timeZone: this.deps.timeZone,
    });
    try {
      const receipt =
        plan.channel === 'whatsapp'
          ? await this.sendWhatsApp(key, plan.to, copy.body, claimed.customer_id, event.kind, event.order_number)
          : await this.deps.notifier.send({ transport: plan.transport, to: plan.to, subject: copy.subject, body: copy.body }, { effectKey: `proactive:${key}` });
      await this.notices.finish(key, { status: 'sent', reason: null, via: receipt.via, providerMessageId: receipt.providerMessageId });
      return true;
    } catch (error) {
      const final = error instanceof NoTransportError || (error instanceof DeliveryError && (error.failure.kind === 'rejected' || error.failure.kind === 'unknown_outcome'));
      const reason = error instanceof NoTransportError ? 'no_transport' : error instanceof DeliveryError ? error.failure.kind : 'unavailable';
      if (final || claimed.attempts >= MAX_ATTEMPTS) {
        await this.notices.finish(key, { status: 'failed', reason: final ? reason : 'retries_exhausted' });
        log.error({ notice: key, reason }, 'proactive notice failed for good');
        return false;
      }
      await this.notices.release(key, reason);
      log.warn({ notice: key, reason }, 'proactive notice not sent; retried');
      throw new JobFailure('unavailable');
    }
  }
}

function firstName(name: string | null | undefined): string | undefined {
  return name?.trim().split(/\s+/)[0]?.replace(/[()]/g, '') || undefined;
}

function invalid(details: ErrorDetail[]): SwitchboardError {
  const first = details[0];
  return new SwitchboardError('SB_ERR_SHOP_EVENT', first === undefined ? undefined : `${first.path}: ${first.message}; nothing was stored`, details.slice(0, 200), { status: 422 });
}

/** `events[2].kind` with the record's order number and event id in front, as a person searching the batch needs. */
function describe(input: unknown, path: ReadonlyArray<PropertyKey>, message: string): ErrorDetail {
  const [collection, index] = path;
  const where = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  if (typeof collection === 'string' && typeof index === 'number' && input !== null && typeof input === 'object') {
    const record = (input as Record<string, unknown>)[collection];
    const item = Array.isArray(record) ? (record[index] as Record<string, unknown> | undefined) : undefined;
    const name =
      collection === 'events' && item !== undefined && typeof item === 'object' && item !== null
        ? `order ${String(item.orderNumber ?? '?').slice(0, 64)} (event ${String(item.id ?? '?').slice(0, 100)})`
        : collection === 'consents' && item !== undefined && typeof item === 'object' && item !== null
          ? `customer ${String(item.customerId ?? '?').slice(0, 100)}`
          : null;
    if (name !== null) return { path: where, message: `${name}: ${message}` };
  }
  return { path: where || 'body', message };
}

/** The order numbers an import file names (read before it is validated: only strings count). */
function importedOrderNumbers(body: unknown): string[] {
  if (body === null || typeof body !== 'object') return [];
  const orders = (body as { orders?: unknown }).orders;
  if (!Array.isArray(orders)) return [];
  return orders.flatMap((o: unknown) => (o !== null && typeof o === 'object' && typeof (o as { number?: unknown }).number === 'string' ? [(o as { number: string }).number] : [])).slice(0, 10_000);
}
