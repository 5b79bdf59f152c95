import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { loadExample } from '../db/shop/test-helpers.js';
import { recordOptOut } from '../db/channel-opt-outs.js';
import { eventually } from '../jobs/test-fixtures/delivery.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { TwilioApiStandIn } from '../test/twilio-api.js';
import { signShopEvents } from './shop-events.js';

const SECRET = 'shop-events-secret-for-tests-0123456789';
const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
const ADMIN_TOKEN = 'admin-token-for-the-proactive-tests-0123';

describe.each(DEPLOYMENTS)('proactive order updates from signed shop events (%s)', (deployment) => {
  let service: TestService;
  let twilioApi: TwilioApiStandIn;
  // 11:00 in Berlin: outside the quiet hours below.
  let clock = new Date('2026-03-10T10:00:00Z');

  beforeAll(async () => {
    twilioApi = await new TwilioApiStandIn().start();
    service = await startTestService(
      deployment,
      {
        SHOP_EVENTS_SECRET: SECRET,
        ADMIN_TOKEN,
        PROACTIVE_QUIET_HOURS: '21:00-08:00',
        SHOP_TIME_ZONE: 'Europe/Berlin',
        TWILIO_ACCOUNT_SID: twilioApi.accountSid,
        TWILIO_AUTH_TOKEN: twilioApi.authToken,
        TWILIO_FROM: '+14155550100',
      },
      { now: () => clock, twilioApiOrigin: twilioApi.origin },
    );
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await twilioApi?.stop();
  });

  async function post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
    const raw = JSON.stringify(body);
    const res = await fetch(`${service.url}/admin/shop/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? signShopEvents(SECRET, raw, clock)) },
      body: raw,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function rows(): Promise<{ events: number; notices: number; consents: number }> {
    const db = service.database.db;
    const count = async (table: 'shop_events' | 'proactive_notices' | 'customer_consents') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    return { events: await count('shop_events'), notices: await count('proactive_notices'), consents: await count('customer_consents') };
  }

  async function orderStatus(number: string): Promise<string | undefined> {
    return (await service.database.db.selectFrom('orders').select('status').where('number', '=', number).executeTakeFirst())?.status;
  }

  async function notice(orderNumber: string, eventId: string) {
    return service.database.db.selectFrom('proactive_notices').selectAll().where('idempotency_key', '=', `${orderNumber}:${eventId}`).executeTakeFirst();
  }

  const texts = (phone: string, orderNumber: string) => twilioApi.to(phone).filter((m) => (m.form.Body ?? '').includes(orderNumber));

  // First, so the zero-row assertions see an empty store.
  test.each([
    ['no signature', () => ({})],
    ['a signature under another secret', (raw: string) => signShopEvents('another-secret-another-secret-0123456789', raw, clock)],
    ['a timestamp from an hour ago (a replay)', (raw: string) => signShopEvents(SECRET, raw, new Date(clock.getTime() - 3_600_000))],
    ['one flipped byte of the body', (raw: string) => signShopEvents(SECRET, raw.replace('100236', '100237'), clock)],
    ['a sha1= header', (raw: string) => ({ ...signShopEvents(SECRET, raw, clock), 'x-shop-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' })],
  ])('%s is refused with 403 and nothing is stored, changed or sent', async (_name, headers) => {
    const body = { consents: [{ customerId: ADA.customerId, channel: 'sms', granted: true, at: clock.toISOString() }], events: [{ id: 'forged-1', orderNumber: ADA.cancellableOrder, kind: 'shipped', at: clock.toISOString() }] };
    const raw = JSON.stringify(body);
    const res = await post(body, { ...headers(raw) });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'SB_ERR_WEBHOOK_SIGNATURE' } });
    expect(JSON.stringify(res.json)).not.toContain(SECRET);
    expect(await rows()).toEqual({ events: 0, notices: 0, consents: 0 });
    expect(await orderStatus(ADA.cancellableOrder)).toBe('placed');
    expect(twilioApi.messages).toHaveLength(0);
  });

  test('a malformed record is refused with 422 naming the record, and nothing of the batch is stored', async () => {
    const good = { id: 'ev-ok', orderNumber: ADA.cancellableOrder, kind: 'shipped', at: clock.toISOString() };
    const bad = await post({ events: [good, { id: 'ev-bad', orderNumber: ADA.shippedOrder, kind: 'teleported', at: clock.toISOString() }] });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: 'SB_ERR_SHOP_EVENT' } });
    expect(JSON.stringify(bad.json)).toContain(`order ${ADA.shippedOrder} (event ev-bad)`);
    expect(JSON.stringify(bad.json)).toContain('events[1].kind');

    const unknown = await post({ events: [good, { id: 'ev-x', orderNumber: '999999', kind: 'delivered', at: clock.toISOString() }] });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.json)).toContain('order 999999 (event ev-x): no such order');

    const noCustomer = await post({ consents: [{ customerId: 'C9999999', channel: 'sms', granted: true, at: clock.toISOString() }] });
    expect(noCustomer.status).toBe(422);
    expect(JSON.stringify(noCustomer.json)).toContain('customer C9999999');

    expect(await rows()).toEqual({ events: 0, notices: 0, consents: 0 });
    expect(await orderStatus(ADA.cancellableOrder)).toBe('placed');
    expect(twilioApi.messages).toHaveLength(0);
  });

  test('a customer who consented to SMS gets one text when the order ships; the same event posted again sends nothing more', async () => {
    const consent = await post({ consents: [{ customerId: ADA.customerId, channel: 'sms', granted: true, at: clock.toISOString() }] });
    expect(consent.status).toBe(200);
    const shipped = {
      id: 'ship-100236',
      orderNumber: ADA.cancellableOrder,
      kind: 'shipped',
      at: clock.toISOString(),
      estimatedDelivery: '2026-03-13T12:00:00Z',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    };
    const first = await post({ events: [shipped] });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ stored: 1, duplicates: 0, notices: [{ eventId: 'ship-100236', status: 'queued' }] });
    expect(await orderStatus(ADA.cancellableOrder)).toBe('shipped');

    const [text] = await eventually(async () => texts(ADA.phone, ADA.cancellableOrder), (m) => m.length > 0);
    expect(text?.form.Body).toMatch(/order 100236 has shipped\. Expected Friday, March 13\..*ups\.com/);
    expect(await eventually(() => notice(ADA.cancellableOrder, 'ship-100236'), (n) => n?.status === 'sent')).toMatchObject({ channel: 'sms', attempts: 1 });

    // The shop's retry, and the same event inside a later batch.
    const again = await post({ events: [shipped] });
    expect(again.json).toMatchObject({ stored: 0, duplicates: 1, notices: [] });
    const batch = await post({ events: [shipped, shipped] });
    expect(batch.json).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await service.proactive.releaseDue()).toBe(0);
    expect(texts(ADA.phone, ADA.cancellableOrder)).toHaveLength(1);
    expect((await rows()).notices).toBe(1);
  });

  test('a customer who never consented, or withdrew, gets nothing; the event still updates the order', async () => {
    const none = await post({ events: [{ id: 'out-100300', orderNumber: GRACE.outForDeliveryOrder, kind: 'delivered', at: clock.toISOString() }] });
    expect(none.json).toMatchObject({ stored: 1, notices: [{ status: 'skipped', reason: 'no_consent' }] });
    expect(await orderStatus(GRACE.outForDeliveryOrder)).toBe('delivered');

    await post({ consents: [{ customerId: GRACE.customerId, channel: 'sms', granted: true, at: '2026-03-01T09:00:00Z' }] });
    await post({ consents: [{ customerId: GRACE.customerId, channel: 'sms', granted: false, at: '2026-03-05T09:00:00Z' }] });
    const withdrawn = await post({ events: [{ id: 'late-100301', orderNumber: GRACE.expiredReturnOrder, kind: 'delayed', at: clock.toISOString() }] });
    expect(withdrawn.json).toMatchObject({ stored: 1, notices: [{ status: 'skipped', reason: 'no_consent' }] });

    expect(await service.proactive.releaseDue()).toBe(0);
    expect(twilioApi.to(GRACE.phone)).toHaveLength(0);
    // Both changes are kept, with their time and source.
    const history = await service.database.db.selectFrom('customer_consents').select(['granted', 'source']).where('customer_id', '=', GRACE.customerId).orderBy('at').execute();
    expect(history).toEqual([{ granted: true, source: 'admin' }, { granted: false, source: 'admin' }]);
  });

  test('an event in quiet hours is held, and the notice goes out when they end', async () => {
    // 22:30 in Berlin.
    clock = new Date('2026-03-10T21:30:00Z');
    const res = await post({ events: [{ id: 'out-100234', orderNumber: ADA.shippedOrder, kind: 'out_for_delivery', at: clock.toISOString() }] });
    expect(res.json).toMatchObject({ notices: [{ status: 'held' }] });
    const held = await notice(ADA.shippedOrder, 'out-100234');
    // 08:00 in Berlin the next morning.
    expect(held?.send_after.toISOString()).toBe('2026-03-11T07:00:00.000Z');
    expect(await service.proactive.releaseDue()).toBe(0);
    expect(texts(ADA.phone, ADA.shippedOrder)).toHaveLength(0);

    clock = new Date('2026-03-11T07:05:00Z');
    expect(await service.proactive.releaseDue()).toBe(1);
    expect(texts(ADA.phone, ADA.shippedOrder)).toHaveLength(1);
    expect(texts(ADA.phone, ADA.shippedOrder)[0]?.form.Body).toMatch(/out for delivery/);
    expect(await service.proactive.releaseDue()).toBe(0);
    expect((await notice(ADA.shippedOrder, 'out-100234'))?.status).toBe('sent');
  });

  test('an order the admin import moves on notifies the customer who consented, once however often the file is imported', async () => {
    clock = new Date('2026-03-11T12:00:00Z');
    const file = (status: 'shipped' | 'out_for_delivery') => {
      const example = loadExample();
      const order = example.orders.find((o) => o.number === '200001')!;
      const flow = ['placed', 'paid', 'packed', 'shipped', 'out_for_delivery'];
      order.status = status;
      order.timeline = (order.timeline as Array<{ status: string; at: string }>).filter((t) => flow.indexOf(t.status) !== -1 && flow.indexOf(t.status) <= flow.indexOf(status));
      return example;
    };
    const importFile = async (body: unknown) => {
      const res = await fetch(`${service.url}/admin/shop/import`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    };
    await importFile(file('shipped'));
    // Not consented yet: the shipment is recorded, nobody is told.
    expect((await notice('200001', 'import:shipped'))?.status).toBe('skipped');
    await post({ consents: [{ customerId: 'C9001', channel: 'sms', granted: true, at: clock.toISOString() }] });
    await importFile(file('out_for_delivery'));
    const [text] = await eventually(async () => texts('+14155550190', '200001'), (m) => m.length > 0);
    expect(text?.form.Body).toMatch(/order 200001 is out for delivery/);
    await importFile(file('out_for_delivery'));
    expect(await service.proactive.releaseDue()).toBe(0);
    expect(texts('+14155550190', '200001')).toHaveLength(1);
  });

  test('a number that texted STOP gets no notice, consent or not, even one already held for quiet hours', async () => {
    clock = new Date('2026-03-11T22:00:00Z');
    const held = await post({ events: [{ id: 'late-100235', orderNumber: ADA.returnableOrder, kind: 'delayed', at: clock.toISOString() }] });
    expect(held.json).toMatchObject({ notices: [{ status: 'held' }] });
    await recordOptOut(service.database.db, 'sms', ADA.phone, 'STOP');
    const after = await post({ events: [{ id: 'done-100233', orderNumber: ADA.setupOrder, kind: 'delivered', at: clock.toISOString() }] });
    expect(after.json).toMatchObject({ notices: [{ status: 'skipped', reason: 'opted_out' }] });

    clock = new Date('2026-03-12T09:00:00Z');
    expect(await service.proactive.releaseDue()).toBe(0);
    expect((await notice(ADA.returnableOrder, 'late-100235'))?.status).toBe('skipped');
    expect(texts(ADA.phone, ADA.returnableOrder)).toHaveLength(0);
    expect(texts(ADA.phone, ADA.setupOrder)).toHaveLength(0);
  });
});
