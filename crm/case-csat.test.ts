import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CaseDetailSchema, UpdateCaseResultSchema, type CaseDetail } from '../core/case-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { eventually } from '../jobs/test-fixtures/delivery.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { TwilioApiStandIn } from '../test/twilio-api.js';
import { inboundForm, postTwilio, TWILIO_NUMBER, type TwilioTarget } from '../test/twilio-webhook.js';

const ADA = DEMO_FIXTURES;
/** Texts: asked by SMS. */
const PIA = { id: 'C-CSAT-1', phone: '+14155550193', email: 'pia@example.com' };
/** Emails only: asked by email, with links. */
const OLU = { id: 'C-CSAT-2', email: 'olu@example.com' };

describe.each(DEPLOYMENTS)('satisfaction after a case is resolved (%s)', (deployment) => {
  let service: TestService;
  let twilioApi: TwilioApiStandIn;
  let target: TwilioTarget;
  let supervisor: AgentClient;
  let technicalAgent: AgentClient;
  let clock = new Date();

  beforeAll(async () => {
    twilioApi = await new TwilioApiStandIn().start();
    service = await startTestService(
      deployment,
      { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: TWILIO_NUMBER, TWILIO_REPLY_BUDGET_MS: '10000' },
      { now: () => clock, twilioApiOrigin: twilioApi.origin },
    );
    target = { serviceUrl: service.url, publicUrl: service.url, authToken: twilioApi.authToken };
    const demo = await demoAgents(service.env.DATA_DIR!);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    technicalAgent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    await service.database.db
      .insertInto('customers')
      .values([
        { id: PIA.id, account_id: 'A700001', name: 'Pia Lindqvist', email: PIA.email, phone: PIA.phone, plan: 'basic', preferred_channel: 'sms', vip: false },
        { id: OLU.id, account_id: 'A700002', name: 'Olu Adeyemi', email: OLU.email, phone: null, plan: 'basic', preferred_channel: 'email', vip: false },
      ])
      .execute();
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await twilioApi?.stop();
  });

  const db = () => service.database.db;
  const detailOf = (body: unknown): CaseDetail => CaseDetailSchema.parse(body);
  const open = async (profiles: Array<{ customerId: string; role: 'primary' | 'affected' | 'cc'; notify?: boolean }>): Promise<string> => {
    const created = await supervisor.post('/cases', { template: 'device-fault', fields: { serialNumber: ADA.offlineCameraSerial, fault: 'Camera reboots every night' }, profiles });
    expect(created.status).toBe(201);
    return detailOf(created.body).case.number;
  };
  const resolve = async (number: string, body: Record<string, unknown> = { status: 'resolved', askCsat: true }) => {
    const res = await supervisor.patch(`/cases/${number}`, body);
    expect(res.status).toBe(200);
    return UpdateCaseResultSchema.parse(res.body);
  };
  const questionsTo = (phone: string, number: string) => twilioApi.to(phone).filter((m) => (m.form.Body ?? '').includes(number));
  const text = async (body: string) => {
    const answer = await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from: PIA.phone, body }));
    expect(answer.status).toBe(200);
    return answer.messages.join('\n');
  };
  const csatRows = async (number: string) => db().selectFrom('case_csat').selectAll().where('case_id', '=', number).execute();

  test('resolving with askCsat texts the primary profile one question; a new request is not an answer, the "4" and a comment are recorded on the case', async () => {
    const number = await open([
      { customerId: PIA.id, role: 'primary' },
      { customerId: OLU.id, role: 'affected' },
    ]);
    const resolved = await resolve(number);
    expect(resolved.csatRequest).toMatchObject({ asked: true, customerId: PIA.id, transport: 'sms', recipient: expect.stringMatching(/^\+1\*+0193$/) });
    expect(resolved.case.status).toBe('resolved');
    const sent = await eventually(async () => questionsTo(PIA.phone, number), (m) => m.length > 0, 60_000);
    expect(sent[0]!.form.Body).toMatch(/from 1 \(poor\) to 5 \(excellent\)\? Reply with one number/);

    // Resolving again without reopening asks nothing.
    const again = await resolve(number);
    expect(again.csatRequest).toMatchObject({ asked: false, reason: 'not_resolved_now' });
    expect(await csatRows(number)).toHaveLength(1);

    // A new request while the rating is awaited goes to the bot (which knows Pia by her number), and is not recorded.
    expect(await text('I want to track my order')).toMatch(/orders?/i);
    expect((await csatRows(number))[0]).toMatchObject({ score: null, comment: null });

    expect(await text('4')).toMatch(/anything you would like to add/i);
    expect(await text('Quick and friendly, thanks!')).toMatch(/feedback has been passed on/);
    const detail = detailOf((await supervisor.get(`/cases/${number}`)).body);
    expect(detail.csat).toEqual([expect.objectContaining({ customerId: PIA.id, transport: 'sms', status: 'sent', score: 4, comment: 'Quick and friendly, thanks!' })]);
    expect(detail.timeline.filter((t) => t.kind === 'csat_rated').map((t) => t.data.score)).toEqual([4]);
    expect(detail.timeline.filter((t) => t.kind === 'csat_commented').map((t) => t.text)).toEqual(['Quick and friendly, thanks!']);
    // Only the primary profile was asked; the affected one got nothing.
    expect(await db().selectFrom('outbox_messages').selectAll().where('recipient', '=', OLU.email).where('body', 'like', `%${number}%`).execute()).toEqual([]);
    expect(questionsTo(PIA.phone, number)).toHaveLength(1);

    // Reopened and resolved again: a new resolution, asked again.
    await resolve(number, { status: 'open' });
    expect((await resolve(number)).csatRequest).toMatchObject({ asked: true, transport: 'sms' });
    await eventually(async () => questionsTo(PIA.phone, number), (m) => m.length === 2, 60_000);
    expect(await csatRows(number)).toHaveLength(2);
  });

  test('by email: one question with a link per score; opening a link records nothing, the form records the rating and comment once', async () => {
    const number = await open([{ customerId: OLU.id, role: 'primary' }]);
    expect((await resolve(number)).csatRequest).toMatchObject({ asked: true, customerId: OLU.id, transport: 'email', recipient: expect.stringMatching(/^o\*\*\*@/) });
    const mails = await eventually(
      async () => db().selectFrom('outbox_messages').selectAll().where('recipient', '=', OLU.email).where('subject', 'like', `%${number}%`).execute(),
      (rows) => rows.length > 0,
      60_000,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`How did we do? Your case ${number}`);
    const links = [...mails[0]!.body.matchAll(/(http\S+\/satisfaction\/\S+\?score=(\d))/g)].map((m) => ({ url: m[1]!, score: Number(m[2]) }));
    expect(links.map((l) => l.score)).toEqual([1, 2, 3, 4, 5]);
    const path = new URL(links[1]!.url).pathname;

    const page = await fetch(`${service.url}${path}?score=2`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/value="2" checked/);
    expect((await csatRows(number))[0]).toMatchObject({ score: null });

    const post = (form: Record<string, string>, origin = service.url) =>
      fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: new URLSearchParams(form).toString() });
    expect((await post({ score: '1' }, 'https://evil.example')).status).toBe(403);
    expect((await fetch(`${service.url}/satisfaction/made-up-token`)).status).toBe(404);
    expect((await csatRows(number))[0]).toMatchObject({ score: null });

    const rated = await post({ score: '2', comment: 'Took three calls to get an answer' });
    expect(rated.status).toBe(200);
    expect(await rated.text()).toContain('Your feedback has been passed on');
    const second = await post({ score: '5' });
    expect(await second.text()).toContain('Already rated');
    const detail = detailOf((await supervisor.get(`/cases/${number}`)).body);
    expect(detail.csat).toEqual([expect.objectContaining({ transport: 'email', score: 2, comment: 'Took three calls to get an answer' })]);
    expect(detail.timeline.filter((t) => t.kind === 'csat_rated')).toHaveLength(1);
  });

  test.each([
    ['no profile at all', []],
    ['its only profile not notified', [{ customerId: PIA.id, role: 'primary' as const, notify: false }]],
  ])('a case with %s explains that no rating was asked, and sends nothing', async (_name, profiles) => {
    const number = await open(profiles);
    const resolved = await resolve(number);
    expect(resolved.csatRequest).toEqual({ asked: false, reason: 'no_notified_profile', message: expect.stringMatching(/no profile linked to the case is notified/) });
    expect(resolved.timeline.filter((t) => t.kind === 'csat_requested').map((t) => t.data.sent)).toEqual([false]);
    expect(await csatRows(number)).toEqual([]);
    expect(resolved.csat).toEqual([]);
  });

  test('resolving without askCsat asks nothing', async () => {
    const number = await open([{ customerId: OLU.id, role: 'primary' }]);
    const resolved = await resolve(number, { status: 'resolved' });
    expect(resolved.csatRequest).toBeUndefined();
    expect(await csatRows(number)).toEqual([]);
  });

  test("a follow-up that falls due is a reminder in its owner's console until they dismiss it", async () => {
    const number = await open([{ customerId: OLU.id, role: 'primary' }]);
    const set = await supervisor.post(`/cases/${number}/follow-up`, { at: new Date(clock.getTime() + 2 * 3_600_000).toISOString(), note: 'Ask Olu whether the camera still reboots' });
    expect(set.status).toBe(201);
    const { id } = set.body as { id: string };
    const remindersOf = async (agent: AgentClient) => ((await agent.get('/case-reminders')).body as { reminders: Array<{ id: number; caseNumber: string; note: string }> }).reminders.filter((r) => r.caseNumber === number);
    expect(await remindersOf(supervisor)).toEqual([]);
    clock = new Date(clock.getTime() + 3 * 3_600_000);
    expect(await service.cases.followUps.due(id)).toEqual({ kind: 'done' });
    const mine = await remindersOf(supervisor);
    expect(mine).toEqual([expect.objectContaining({ caseNumber: number, note: 'Ask Olu whether the camera still reboots' })]);
    // Someone else's: not listed, and not theirs to dismiss.
    expect(await remindersOf(technicalAgent)).toEqual([]);
    expect((await technicalAgent.post(`/case-reminders/${mine[0]!.id}/dismiss`, {})).status).toBe(404);
    expect((await supervisor.post(`/case-reminders/${mine[0]!.id}/dismiss`, {})).status).toBe(204);
    expect(await remindersOf(supervisor)).toEqual([]);
  });
});
