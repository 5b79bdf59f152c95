import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CaseDetailSchema, type CaseDetail } from '../core/case-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { eventually } from '../jobs/test-fixtures/delivery.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { TWILIO_ERRORS, TwilioApiStandIn } from '../test/twilio-api.js';
import { associateCases, caseNumbersOf } from './case-contacts.js';

const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
/** A third profile whose number Twilio refuses (21211): its copy of a broadcast fails, the others go out. */
const LIN = { id: 'C-CASES-3', phone: '+14155550177', email: 'lin@example.com' };

describe.each(DEPLOYMENTS)('cases through the agent API (%s)', (deployment) => {
  let service: TestService;
  let twilioApi: TwilioApiStandIn;
  let supervisor: AgentClient;
  let returnsAgent: AgentClient;
  let technicalAgent: AgentClient;
  let clock = new Date();

  beforeAll(async () => {
    twilioApi = await new TwilioApiStandIn().start();
    twilioApi.refuse(LIN.phone, TWILIO_ERRORS.invalidTo);
    service = await startTestService(
      deployment,
      { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: '+14155550100' },
      { now: () => clock, twilioApiOrigin: twilioApi.origin },
    );
    const demo = await demoAgents(service.env.DATA_DIR!);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    returnsAgent = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
    technicalAgent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    await service.database.db
      .insertInto('customers')
      .values({ id: LIN.id, account_id: 'A777777', name: 'Lin Okafor', email: LIN.email, phone: LIN.phone, plan: 'basic', preferred_channel: 'sms', vip: false })
      .execute();
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await twilioApi?.stop();
  });

  const db = () => service.database.db;
  const count = async (table: 'cases' | 'case_timeline' | 'case_profiles' | 'case_deliveries') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const stored = async () => ({ cases: await count('cases'), timeline: await count('case_timeline'), profiles: await count('case_profiles'), deliveries: await count('case_deliveries') });
  const detailOf = (body: unknown): CaseDetail => CaseDetailSchema.parse(body);

  test('GET /case-templates lists the starter templates with their fields', async () => {
    const res = await technicalAgent.get('/case-templates');
    expect(res.status).toBe(200);
    const { templates } = res.body as { templates: Array<{ id: string; version: number; fields: Array<{ key: string; mandatory: boolean }> }> };
    expect(templates.map((t) => t.id)).toEqual(['device-fault', 'connectivity-problem', 'delivery-complaint', 'billing-dispute', 'return-exception']);
    expect(templates[0]!.fields.find((f) => f.key === 'serialNumber')).toMatchObject({ mandatory: true });
  });

  test.each([
    ['a missing mandatory field and a bad format', { template: 'device-fault', fields: { serialNumber: 'cam 1' }, profiles: [{ customerId: ADA.customerId, role: 'primary' }] }, ['fields.serialNumber: must look like CAM360-000001', 'fields.fault: is required']],
    ['an unknown template', { template: 'toaster', fields: {}, profiles: [] }, ['template: is not a case template']],
    ['an unknown profile', { template: 'device-fault', fields: { serialNumber: 'CAM360-000001', fault: 'dead' }, profiles: [{ customerId: 'C-NOBODY', role: 'primary' }] }, ['profiles[0].customerId: no profile has Customer ID C-NOBODY']],
    ['a field no template has', { template: 'device-fault', fields: { serialNumber: 'CAM360-000001', fault: 'dead', colour: 'red' }, profiles: [] }, ['fields.colour: is not a field of template device-fault']],
    ['an unknown role', { template: 'device-fault', fields: { serialNumber: 'CAM360-000001', fault: 'dead' }, profiles: [{ customerId: ADA.customerId, role: 'boss' }] }, ['body.profiles[0].role']],
  ])('creating a case with %s is 422 SB_ERR_VALIDATION, one detail per field, and nothing is saved', async (_name, body, expected) => {
    const before = await stored();
    const res = await technicalAgent.post('/cases', body);
    expect(res.status).toBe(422);
    const error = (res.body as { error: { code: string; details: Array<{ path: string; message: string }> } }).error;
    expect(error.code).toBe('SB_ERR_VALIDATION');
    const lines = error.details.map((d) => `${d.path}: ${d.message}`);
    for (const line of expected) expect(lines.some((l) => l.startsWith(line))).toBe(true);
    expect(await stored()).toEqual(before);
  });

  test('a case from a template records its version, team and priority; changes land in the timeline with who and when', async () => {
    const created = await technicalAgent.post('/cases', { template: 'device-fault', fields: { serialNumber: ADA.offlineCameraSerial, fault: 'Camera shows no picture after firmware update' }, profiles: [{ customerId: ADA.customerId, role: 'primary' }] });
    expect(created.status).toBe(201);
    const detail = detailOf(created.body);
    expect(detail.case).toMatchObject({ template: 'device-fault', templateVersion: 1, category: 'device', team: 'technical', priority: 'normal', status: 'new', fields: { serialNumber: ADA.offlineCameraSerial } });
    expect(detail.case.number).toMatch(/^CASE-[0-9A-F]{8}$/);
    const number = detail.case.number;

    const before = await stored();
    const badLink = await technicalAgent.patch(`/cases/${number}`, { attachment: { url: 'javascript:alert(1)', title: 'x' } });
    expect(badLink.status).toBe(422);
    const badField = await technicalAgent.patch(`/cases/${number}`, { fields: { purchaseDate: '2026-13-01' }, note: 'should not be stored' });
    expect(badField.status).toBe(422);
    expect(JSON.stringify(badField.body)).toContain('fields.purchaseDate');
    expect(await stored()).toEqual(before);

    const me = (await technicalAgent.get('/session')).body as { agent: { id: string; name: string } };
    const patched = await technicalAgent.patch(`/cases/${number}`, {
      status: 'pending_third_party',
      priority: 'high',
      assignee: me.agent.id,
      fields: { purchaseDate: '2025-11-02' },
      note: 'Asked the repair partner about firmware 2.3.0',
      attachment: { url: 'https://example.com/screens/cam.png', title: 'Screenshot of the error' },
    });
    expect(patched.status).toBe(200);
    const after = detailOf(patched.body);
    expect(after.case).toMatchObject({ status: 'pending_third_party', priority: 'high', assigneeId: me.agent.id, assigneeName: me.agent.name, fields: { purchaseDate: '2025-11-02' } });
    const kinds = after.timeline.map((t) => t.kind);
    expect(kinds).toEqual(['created', 'profile_linked', 'status_changed', 'priority_changed', 'assigned', 'field_changed', 'note', 'attachment']);
    for (const entry of after.timeline) {
      expect(entry.actor).toBe(me.agent.id);
      expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
    }
    expect(after.timeline.find((t) => t.kind === 'attachment')?.data).toEqual({ url: 'https://example.com/screens/cam.png', title: 'Screenshot of the error' });
  });

  test('a case linked to three profiles, each with a role; every profile lists it, open cases first', async () => {
    const created = await supervisor.post('/cases', {
      template: 'billing-dispute',
      fields: { orderNumber: ADA.shippedOrder, dispute: 'duplicate_charge', amount: '129.99' },
      profiles: [
        { customerId: ADA.customerId, role: 'primary' },
        { customerId: GRACE.customerId, role: 'affected' },
      ],
    });
    expect(created.status).toBe(201);
    const number = detailOf(created.body).case.number;
    const linked = await supervisor.post(`/cases/${number}/profiles`, { customerId: LIN.id, role: 'cc' });
    expect(linked.status).toBe(200);
    expect(detailOf(linked.body).profiles).toEqual([
      { customerId: ADA.customerId, name: expect.any(String), role: 'primary', notify: true },
      { customerId: GRACE.customerId, name: expect.any(String), role: 'affected', notify: true },
      { customerId: LIN.id, name: 'Lin Okafor', role: 'cc', notify: true },
    ]);
    expect(detailOf(linked.body).timeline.filter((t) => t.kind === 'profile_linked')).toHaveLength(3);
    const missing = await supervisor.post(`/cases/${number}/profiles`, { customerId: 'C-NOBODY', role: 'cc' });
    expect(missing.status).toBe(422);

    // A resolved case of Grace's is listed after the open one.
    const older = await supervisor.post('/cases', { template: 'delivery-complaint', fields: { orderNumber: GRACE.outForDeliveryOrder, complaint: 'late' }, profiles: [{ customerId: GRACE.customerId, role: 'primary' }] });
    await supervisor.patch(`/cases/${detailOf(older.body).case.number}`, { status: 'resolved' });
    const graces = await supervisor.get(`/profiles/${GRACE.customerId}/cases`);
    expect(graces.status).toBe(200);
    const listed = (graces.body as { cases: Array<{ number: string; role: string; open: boolean }> }).cases;
    expect(listed.map((c) => c.open)).toEqual([...listed.map((c) => c.open)].sort((a, b) => Number(b) - Number(a)));
    expect(listed.find((c) => c.number === number)).toMatchObject({ role: 'affected', open: true });
    expect(listed.find((c) => c.number === detailOf(older.body).case.number)).toMatchObject({ open: false });
  });

  test('a broadcast reaches every notified profile on its channel; the refused number fails while the others deliver, each in the timeline', async () => {
    const created = await supervisor.post('/cases', {
      template: 'delivery-complaint',
      fields: { orderNumber: GRACE.outForDeliveryOrder, complaint: 'not_arrived', carrier: 'USPS' },
      profiles: [
        { customerId: ADA.customerId, role: 'primary' },
        { customerId: GRACE.customerId, role: 'affected' },
        { customerId: LIN.id, role: 'cc' },
      ],
    });
    const number = detailOf(created.body).case.number;
    const before = await stored();
    // Not the owner and not a supervisor (and not the case's team): refused, nothing queued.
    expect((await returnsAgent.post(`/cases/${number}/broadcast`, { text: 'Your parcel was found' })).status).toBe(403);
    expect((await supervisor.post(`/cases/${number}/broadcast`, { text: '' })).status).toBe(422);
    expect(await stored()).toEqual(before);

    const sent = await supervisor.post(`/cases/${number}/broadcast`, { text: 'The carrier found the parcel: it arrives tomorrow.' });
    expect(sent.status).toBe(202);
    expect((sent.body as { deliveries: unknown[] }).deliveries).toHaveLength(3);
    const settled = await eventually(
      async () => detailOf((await supervisor.get(`/cases/${number}`)).body),
      (d) => d.deliveries.length === 3 && d.deliveries.every((x) => x.status !== 'queued'),
      60_000,
    );
    const by = (id: string) => settled.deliveries.find((d) => d.customerId === id);
    expect(by(ADA.customerId)).toMatchObject({ transport: 'email', status: 'sent', recipient: expect.stringMatching(/^a\*\*\*@/) });
    expect(by(GRACE.customerId)).toMatchObject({ transport: 'sms', status: 'sent' });
    expect(by(LIN.id)).toMatchObject({ transport: 'sms', status: 'failed', reason: 'rejected' });
    expect(twilioApi.to(GRACE.phone).filter((m) => (m.form.Body ?? '').includes(number))).toHaveLength(1);
    expect(twilioApi.to(LIN.phone)).toHaveLength(0);
    const outbox = await db().selectFrom('outbox_messages').selectAll().where('recipient', '=', ADA.email).where('body', 'like', `%${number}%`).execute();
    expect(outbox).toHaveLength(1);
    const outcomes = settled.timeline.filter((t) => t.kind === 'message_sent' && t.data.deliveryId !== undefined).map((t) => [t.data.customerId, t.data.status]);
    expect(outcomes).toEqual(expect.arrayContaining([[ADA.customerId, 'sent'], [GRACE.customerId, 'sent'], [LIN.id, 'failed']]));
    expect(outcomes).toHaveLength(3);
    // Each person's contact history shows the update as it reached them.
    const updatesOf = async (id: string) => ((await supervisor.get(`/profiles/${id}`)).body as { caseUpdates: Array<{ caseNumber: string; transport: string; status: string }> }).caseUpdates.filter((u) => u.caseNumber === number);
    expect(await updatesOf(GRACE.customerId)).toEqual([expect.objectContaining({ transport: 'sms', status: 'sent' })]);
    expect(await updatesOf(LIN.id)).toEqual([expect.objectContaining({ transport: 'sms', status: 'failed' })]);
    expect(await updatesOf(ADA.customerId)).toEqual([expect.objectContaining({ transport: 'email', status: 'sent' })]);
  });

  test("an agent outside the case's team can neither read nor change it, nor find it", async () => {
    const created = await technicalAgent.post('/cases', { template: 'connectivity-problem', fields: { connection: 'wifi', symptoms: 'Router drops the zebracrossing network hourly' }, profiles: [{ customerId: ADA.customerId, role: 'primary' }] });
    const number = detailOf(created.body).case.number;
    const before = await stored();
    expect((await returnsAgent.get(`/cases/${number}`)).status).toBe(403);
    expect((await returnsAgent.patch(`/cases/${number}`, { status: 'closed', note: 'not mine' })).status).toBe(403);
    expect((await returnsAgent.post(`/cases/${number}/profiles`, { customerId: GRACE.customerId, role: 'cc' })).status).toBe(403);
    expect((await returnsAgent.post(`/cases/${number}/follow-up`, { at: new Date(clock.getTime() + 3_600_000).toISOString(), note: 'x' })).status).toBe(403);
    expect(await stored()).toEqual(before);
    expect(detailOf((await supervisor.get(`/cases/${number}`)).body).case.status).toBe('new');
    const search = (await returnsAgent.get('/cases?q=zebracrossing')).body as { cases: unknown[] };
    expect(search.cases).toEqual([]);
    expect(((await supervisor.get('/cases?q=zebracrossing')).body as { cases: Array<{ number: string }> }).cases.map((c) => c.number)).toEqual([number]);
    expect((await returnsAgent.get(`/profiles/${ADA.customerId}/cases`)).body).toMatchObject({ cases: expect.not.arrayContaining([expect.objectContaining({ number })]) });
    // Another team's case cannot be associated with a conversation either.
    const me = (await returnsAgent.get('/session')).body as { agent: { id: string } };
    const chat = await new ChatClient(service.url).start();
    await chat.say('hello');
    const { conversationId } = await chat.history();
    await expect(associateCases(db(), { conversationId: conversationId!, caseNumbers: [number], by: me.agent.id })).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    expect(await db().selectFrom('case_contacts').selectAll().where('conversation_id', '=', conversationId!).execute()).toEqual([]);
  });

  test('one conversation associated with two cases is in both timelines and lists both numbers', async () => {
    const a = detailOf((await supervisor.post('/cases', { template: 'return-exception', fields: { orderNumber: ADA.returnableOrder, reason: 'Past the window by a day' }, profiles: [] })).body).case.number;
    const b = detailOf((await supervisor.post('/cases', { template: 'delivery-complaint', fields: { orderNumber: ADA.shippedOrder, complaint: 'damaged' }, profiles: [] })).body).case.number;
    const chat = await new ChatClient(service.url).start();
    await chat.say('hello');
    const { conversationId } = await chat.history();
    const me = (await supervisor.get('/session')).body as { agent: { id: string } };
    await associateCases(db(), { conversationId: conversationId!, caseNumbers: [a, b], by: me.agent.id });
    // Again: no second timeline entry.
    await associateCases(db(), { conversationId: conversationId!, caseNumbers: [a], by: me.agent.id });
    for (const n of [a, b]) {
      const d = detailOf((await supervisor.get(`/cases/${n}`)).body);
      expect(d.contacts.map((c) => c.conversationId)).toEqual([conversationId]);
      expect(d.timeline.filter((t) => t.kind === 'contact_associated')).toHaveLength(1);
    }
    expect((await caseNumbersOf(db(), [conversationId!])).get(conversationId!)?.sort()).toEqual([a, b].sort());
    await expect(associateCases(db(), { conversationId: conversationId!, caseNumbers: ['CASE-00000000'], by: me.agent.id })).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
  });

  test('a follow-up is a durable job: recorded when set, and when due it reminds the owner and messages the notified profiles', async () => {
    const created = await supervisor.post('/cases', { template: 'billing-dispute', fields: { orderNumber: GRACE.outForDeliveryOrder, dispute: 'refund_missing' }, profiles: [{ customerId: GRACE.customerId, role: 'primary' }] });
    const number = detailOf(created.body).case.number;
    expect((await supervisor.post(`/cases/${number}/follow-up`, { at: new Date(clock.getTime() - 1000).toISOString(), note: 'too late' })).status).toBe(422);
    const at = new Date(clock.getTime() + 2 * 3_600_000).toISOString();
    const set = await supervisor.post(`/cases/${number}/follow-up`, { at, note: 'Check the refund reached Grace', notifyCustomer: true });
    expect(set.status).toBe(201);
    const { id } = set.body as { id: string };
    const jobs = await db().selectFrom('case_follow_ups').selectAll().where('id', '=', id).execute();
    expect(jobs).toMatchObject([{ status: 'pending', notify_customer: true }]);
    expect(await service.cases.followUps.due(id)).toMatchObject({ kind: 'not_due' });
    clock = new Date(clock.getTime() + 3 * 3_600_000);
    expect(await service.cases.followUps.due(id)).toEqual({ kind: 'done' });
    // Once only.
    expect(await service.cases.followUps.due(id)).toEqual({ kind: 'nothing' });
    const settled = await eventually(
      async () => detailOf((await supervisor.get(`/cases/${number}`)).body),
      (d) => d.deliveries.length === 1 && d.deliveries[0]!.status !== 'queued',
      60_000,
    );
    expect(settled.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['follow_up_scheduled', 'follow_up_due', 'message_sent']));
    expect(settled.deliveries[0]).toMatchObject({ customerId: GRACE.customerId, transport: 'sms', status: 'sent' });
    const supervisorEmail = (await supervisor.get('/session')).body as { agent: { email: string } };
    expect(await db().selectFrom('outbox_messages').select('subject').where('recipient', '=', supervisorEmail.agent.email).execute()).toEqual([{ subject: `Follow up on case ${number}` }]);
  });
});
