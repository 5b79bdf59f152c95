import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../../db/shop/demo.js';
import { signShopEvents } from '../../server/shop-events.js';
import { AgentClient, demoAgents } from '../../test/agent-client.js';
import { DEPLOYMENTS, type TestService } from '../../test/service.js';
import type { TwilioApiStandIn } from '../../test/twilio-api.js';
import { inboundForm, messageSid, postTwilio, startTwilioTestService, type TwilioTarget } from '../../test/twilio-webhook.js';
import { DEFAULT_TEMPLATES_FILE } from '../meta/templates.js';

const WHATSAPP_FROM = 'whatsapp:+14155550199';
const SHOP_SECRET = 'shop-events-secret-for-whatsapp-tests-0123';
const CONTENT_SIDS = { shipping_update: 'HX11111111111111111111111111111111', follow_up: 'HX22222222222222222222222222222222', csat: 'HX33333333333333333333333333333333' } as const;
const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
let next = 6000;
const customer = () => `+1415555${String((next += 1)).padStart(4, '0')}`;

/** The shipped templates file with a Twilio contentSid under each use: what an operator on Twilio adds. */
async function templatesWithContentSids(dir: string): Promise<string> {
  let yaml = await readFile(DEFAULT_TEMPLATES_FILE, 'utf8');
  for (const [use, sid] of Object.entries(CONTENT_SIDS)) yaml = yaml.replace(new RegExp(`(\\n  ${use}:\\n)`), `$1    contentSid: ${sid}\n`);
  const file = path.join(dir, 'templates.yaml');
  await writeFile(file, yaml);
  return file;
}

/**
 * WhatsApp through Twilio keeps WhatsApp's 24-hour customer-service window: free-form inside
 * it, outside it only the approved Content templates (ContentSid + ContentVariables), for
 * agents and for proactive notices; and Twilio's 21610 on a status callback opts the number out.
 */
describe.each(DEPLOYMENTS)('WhatsApp through Twilio: the 24-hour window and Content templates (%s)', (deployment) => {
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  let target: TwilioTarget;
  let dispose: (() => Promise<void>) | undefined;
  let dir: string;
  let supervisor: AgentClient;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-wa-templates-'));
    ({ twilioApi, service, target, dispose } = await startTwilioTestService(deployment, {
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_REPLY_BUDGET_MS: '0',
      WHATSAPP_TEMPLATES_FILE: await templatesWithContentSids(dir),
      SHOP_EVENTS_SECRET: SHOP_SECRET,
    }));
    const agents = await demoAgents(service.env.DATA_DIR!);
    supervisor = await new AgentClient(service.url).login(agents.supervisor.email, agents.supervisor.password);
  });
  afterAll(async () => {
    await dispose?.();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const sql = async <T>(text: string, params: unknown[] = []) => (await service.database.executeSql(text, params)).rows as T[];
  const lastRow = async (identity: string) => (await sql<{ status: string; last_error: string | null; provider_message_id: string | null; conversation_id: string }>(`select status, last_error, provider_message_id, conversation_id from outbound_messages where identity = $1 order by seq desc limit 1`, [identity]))[0];

  async function shopEvents(body: unknown): Promise<number> {
    const raw = JSON.stringify(body);
    const res = await fetch(`${service.url}/admin/shop/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signShopEvents(SHOP_SECRET, raw, new Date()) }, body: raw });
    return res.status;
  }
  const notice = async (orderNumber: string, eventId: string) => (await sql<{ status: string; reason: string | null; channel: string | null; provider_message_id: string | null }>(`select status, reason, channel, provider_message_id from proactive_notices where idempotency_key = $1`, [`${orderNumber}:${eventId}`]))[0];

  test('an agent reply 25 hours after the customer last wrote is refused with SB_ERR_OUTSIDE_WINDOW; the follow-up template goes with its ContentSid and variables', async () => {
    const number = customer();
    await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from: `whatsapp:${number}`, to: WHATSAPP_FROM, body: 'talk to a person', sid: messageSid(), profileName: 'Ada Lovelace' }));
    await expect.poll(async () => (await lastRow(number))?.status, { timeout: 30_000 }).toBe('sent');
    const conversationId = (await lastRow(number))!.conversation_id;
    // Inside the window a free-form reply goes as text.
    expect((await supervisor.post(`/conversations/${conversationId}/messages`, { text: 'Looking into it.' })).status).toBe(200);
    await expect.poll(() => twilioApi.to(`whatsapp:${number}`).map((m) => m.form.Body), { timeout: 30_000 }).toContain('Looking into it.');

    await service.database.executeSql(`update messaging_windows set last_inbound_at = now() - interval '25 hours' where channel = 'whatsapp' and customer = $1`, [number]);
    const sentBefore = twilioApi.calls.filter((c) => c.form.To === `whatsapp:${number}`).length;
    const eventsBefore = (await sql<{ n: number }>(`select count(*)::int as n from conversation_events where conversation_id = $1`, [conversationId]))[0]!.n;
    const refused = await supervisor.post(`/conversations/${conversationId}/messages`, { text: 'Following up.' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'SB_ERR_OUTSIDE_WINDOW' } });
    expect(JSON.stringify(refused.body)).toMatch(/template/);
    expect((await sql<{ n: number }>(`select count(*)::int as n from conversation_events where conversation_id = $1`, [conversationId]))[0]!.n, 'nothing stored').toBe(eventsBefore);
    expect(twilioApi.calls.filter((c) => c.form.To === `whatsapp:${number}`), 'no REST call').toHaveLength(sentBefore);

    expect((await supervisor.post(`/conversations/${conversationId}/templates`, { template: 'follow_up' })).status).toBe(200);
    await expect.poll(() => twilioApi.to(`whatsapp:${number}`).filter((m) => m.form.ContentSid !== undefined).length, { timeout: 30_000 }).toBe(1);
    const template = twilioApi.to(`whatsapp:${number}`).find((m) => m.form.ContentSid !== undefined)!;
    expect(template.form).toMatchObject({ From: WHATSAPP_FROM, ContentSid: CONTENT_SIDS.follow_up, StatusCallback: `${service.url}/channels/twilio/status` });
    expect(template.form.Body, 'a template, not free text').toBeUndefined();
    // {{1}} the customer's first name, {{2}} the agent's, {{3}} the shop.
    const variables = JSON.parse(template.form.ContentVariables!) as Record<string, string>;
    expect(variables).toEqual({ '1': 'Ada', '2': expect.any(String), '3': 'Voltline' });
    await expect.poll(async () => (await lastRow(number))?.status, { timeout: 30_000 }).toBe('sent');
    expect((await lastRow(number))?.provider_message_id).toBe(template.sid);
  });

  test('a shipped notice to a customer who consented on WhatsApp and never wrote there goes as the shipping_update template', async () => {
    expect(await shopEvents({ consents: [{ customerId: ADA.customerId, channel: 'whatsapp', granted: true, at: new Date().toISOString() }] })).toBe(200);
    expect(await shopEvents({ events: [{ id: 'wa-ship-1', orderNumber: ADA.cancellableOrder, kind: 'shipped', at: new Date().toISOString() }] })).toBe(200);
    await expect.poll(async () => (await notice(ADA.cancellableOrder, 'wa-ship-1'))?.status, { timeout: 30_000 }).toBe('sent');
    const sent = twilioApi.to(`whatsapp:${ADA.phone}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toMatchObject({ From: WHATSAPP_FROM, ContentSid: CONTENT_SIDS.shipping_update });
    expect(sent[0]!.form.Body).toBeUndefined();
    expect(JSON.parse(sent[0]!.form.ContentVariables!)).toEqual({ '1': ADA.name.split(' ')[0], '2': ADA.cancellableOrder, '3': 'Voltline', '4': 'it has shipped' });
    expect(await notice(ADA.cancellableOrder, 'wa-ship-1')).toMatchObject({ channel: 'whatsapp', provider_message_id: sent[0]!.sid });
    expect(twilioApi.to(ADA.phone), 'not by SMS instead').toHaveLength(0);
  });

  test('a status callback reporting 21610 opts the number out; a later notice sends nothing', async () => {
    expect(await shopEvents({ consents: [{ customerId: GRACE.customerId, channel: 'whatsapp', granted: true, at: new Date().toISOString() }] })).toBe(200);
    expect(await shopEvents({ events: [{ id: 'wa-out-1', orderNumber: GRACE.outForDeliveryOrder, kind: 'out_for_delivery', at: new Date().toISOString() }] })).toBe(200);
    await expect.poll(async () => (await notice(GRACE.outForDeliveryOrder, 'wa-out-1'))?.status, { timeout: 30_000 }).toBe('sent');
    const [first] = twilioApi.to(`whatsapp:${GRACE.phone}`);
    const callback = await postTwilio(target, '/channels/twilio/status', [
      ['MessageSid', first!.sid],
      ['MessageStatus', 'undelivered'],
      ['ErrorCode', '21610'],
      ['AccountSid', twilioApi.accountSid],
      ['To', `whatsapp:${GRACE.phone}`],
      ['From', WHATSAPP_FROM],
    ]);
    expect(callback.status).toBe(200);
    expect(await sql(`select opted_out, source from channel_opt_outs where channel = 'whatsapp' and address = $1`, [GRACE.phone])).toEqual([{ opted_out: true, source: 'twilio_21610' }]);

    expect(await shopEvents({ events: [{ id: 'wa-late-1', orderNumber: GRACE.expiredReturnOrder, kind: 'delayed', at: new Date().toISOString() }] })).toBe(200);
    expect(await notice(GRACE.expiredReturnOrder, 'wa-late-1')).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(twilioApi.calls.filter((c) => c.form.To === `whatsapp:${GRACE.phone}` || c.form.To === GRACE.phone), 'one message, before the opt-out').toHaveLength(1);
  });

  test('an unsigned 21610 callback records nothing', async () => {
    const number = customer();
    const unsigned = await postTwilio(target, '/channels/twilio/status', [['MessageSid', messageSid()], ['MessageStatus', 'failed'], ['ErrorCode', '21610'], ['To', `whatsapp:${number}`]], { sign: 'none' });
    expect(unsigned.status).toBe(403);
    expect(await sql(`select * from channel_opt_outs where address = $1`, [number])).toEqual([]);
  });
});
