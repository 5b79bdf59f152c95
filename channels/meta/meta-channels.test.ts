import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AgentClient, demoAgents } from '../../test/agent-client.js';
import { latestCode } from '../../test/chat-client.js';
import {
  messagingWebhook,
  metaEnv,
  MetaGraphApiStandIn,
  postMetaWebhook,
  wamid,
  whatsAppMessagesWebhook,
  whatsAppStatusesWebhook,
  type GraphCall,
} from '../../test/meta-graph-api.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';
import { eventually } from '../../test/test-channel-provider.js';
import type { ChannelName } from '../../core/message.js';
import { signMetaBody } from './signature.js';

const ADA_EMAIL = 'ada@example.com';
/** A wa_id no customer has on file: the bot does not know who is writing. */
const newWaId = () => `4915${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

describe.each(DEPLOYMENTS)('WhatsApp Cloud API, Messenger and Instagram (%s)', (deployment) => {
  let api: MetaGraphApiStandIn;
  let meta: ReturnType<typeof metaEnv>;
  let service: TestService;
  beforeAll(async () => {
    api = await new MetaGraphApiStandIn().start();
    meta = metaEnv(api);
    service = await startTestService(deployment, meta.env, { metaApiOrigin: api.origin });
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
    await api?.stop();
  });

  const db = () => service.database.db;
  const rowsOf = (channel: ChannelName, ids: string[]) => db().selectFrom('inbound_messages').select('provider_message_id').where('channel', '=', channel).where('provider_message_id', 'in', ids).execute();
  const userSaid = (ids: string[]) => db().selectFrom('conversation_events').select(['conversation_id', 'seq', 'provider_message_id']).where('type', '=', 'user_said').where('provider_message_id', 'in', ids).execute();
  const identities = (channel: ChannelName, sender: string) => db().selectFrom('contact_identities').select(['sender_id', 'contact_id']).where('channel', '=', channel).where('sender_id', '=', sender).execute();

  /** Posts one signed webhook for `from` and waits until its turn ran and every reply left: the Graph API calls it made. */
  async function turn(channel: 'whatsapp' | 'messenger' | 'instagram', from: string, payload: Record<string, unknown>, id: string): Promise<GraphCall[]> {
    const before = api.to(from).length;
    const res = await postMetaWebhook(service.url, channel, meta.secrets[channel], payload);
    expect(res.status).toBe(200);
    await eventually(() => rowsOf(channel, [id]), (rows) => rows.length === 0);
    const [said] = await userSaid([id]);
    expect(said).toBeDefined();
    const rows = await eventually(
      () => db().selectFrom('outbound_messages').select(['seq', 'status']).where('conversation_id', '=', said!.conversation_id).where('seq', '>', said!.seq).execute(),
      (found) => found.length > 0 && found.every((r) => r.status !== 'queued'),
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    return api.to(from).slice(before);
  }
  const whatsAppText = (from: string, text: string) => {
    const id = wamid();
    return turn('whatsapp', from, whatsAppMessagesWebhook(meta.ids.whatsapp, [{ from, id, text }]), id);
  };

  describe('the verification handshake', () => {
    test.each(['whatsapp', 'messenger', 'instagram'] as const)('%s: the configured token echoes hub.challenge as text/plain', async (channel) => {
      const res = await fetch(`${service.url}/channels/${channel}?hub.mode=subscribe&hub.verify_token=${meta.verifyToken}&hub.challenge=1158201444`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('1158201444');
    });

    test.each([
      ['a wrong token', `hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1158201444`],
      ['no token', `hub.mode=subscribe&hub.challenge=1158201444`],
      ['another mode', `hub.mode=unsubscribe&hub.verify_token=TOKEN&hub.challenge=1158201444`],
      ['the token given twice', `hub.mode=subscribe&hub.verify_token=TOKEN&hub.verify_token=TOKEN&hub.challenge=1158201444`],
    ])('%s is a 403 that echoes nothing', async (_name, query) => {
      for (const channel of ['whatsapp', 'messenger', 'instagram']) {
        const res = await fetch(`${service.url}/channels/${channel}?${query.replaceAll('TOKEN', meta.verifyToken)}`);
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain('1158201444');
      }
    });
  });

  describe('signatures', () => {
    test.each<[string, (body: string, secret: string) => Record<string, string>]>([
      ['one flipped byte of the signature', (body, secret) => ({ 'x-hub-signature-256': flipLastHex(signMetaBody(secret, body)) })],
      ['a signature of another body', (body, secret) => ({ 'x-hub-signature-256': signMetaBody(secret, `${body} `) })],
      ['a sha1= header', (body, secret) => ({ 'x-hub-signature-256': `sha1=${signMetaBody(secret, body).slice(7, 47)}` })],
      ['the legacy X-Hub-Signature only', () => ({ 'x-hub-signature': `sha1=${'a'.repeat(40)}` })],
      ['no signature header', () => ({})],
      ['another app’s secret', (body) => ({ 'x-hub-signature-256': signMetaBody('a-different-app-secret-0123456789', body) })],
    ])('%s is a 403 and nothing is stored, queued or answered (all three channels)', async (_name, sign) => {
      const waId = newWaId();
      const id = wamid();
      const psid = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
      const cases = [
        { channel: 'whatsapp' as const, sender: waId, id, payload: whatsAppMessagesWebhook(meta.ids.whatsapp, [{ from: waId, id, text: 'where is my order 100234?' }]) },
        { channel: 'messenger' as const, sender: psid, id: `m_${psid}`, payload: messagingWebhook('page', meta.ids.messenger, { from: psid, mid: `m_${psid}`, text: 'hello' }) },
        { channel: 'instagram' as const, sender: psid, id: `ig_${psid}`, payload: messagingWebhook('instagram', meta.ids.instagram, { from: psid, mid: `ig_${psid}`, text: 'hello' }) },
      ];
      for (const c of cases) {
        const res = await postMetaWebhook(service.url, c.channel, meta.secrets[c.channel], c.payload, (body) => sign(body, meta.secrets[c.channel]));
        expect(res.status).toBe(403);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: { code: 'SB_ERR_WEBHOOK_SIGNATURE', message: 'Webhook signature validation failed' } });
        expect(text).not.toMatch(/[0-9a-f]{40}/);
        expect(await rowsOf(c.channel, [c.id])).toEqual([]);
        expect(await identities(c.channel, c.sender)).toEqual([]);
        expect(await db().selectFrom('messaging_windows').selectAll().where('customer', '=', c.sender).execute()).toEqual([]);
        expect(api.attemptsTo(c.sender)).toEqual([]);
      }
      expect(await userSaid(cases.map((c) => c.id))).toEqual([]);
    });
  });

  test('the same wamid delivered 10 times (Meta redelivers for days) is one stored message and one turn', async () => {
    const waId = newWaId();
    const id = wamid();
    const payload = whatsAppMessagesWebhook(meta.ids.whatsapp, [{ from: waId, id, text: 'hello' }]);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postMetaWebhook(service.url, 'whatsapp', meta.secrets.whatsapp, payload)));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    const acks = (await Promise.all(responses.map((r) => r.json()))) as Array<{ received: number; duplicates: number }>;
    expect(acks.reduce((n, a) => n + a.received + a.duplicates, 0)).toBe(10);
    await eventually(() => rowsOf('whatsapp', [id]), (rows) => rows.length === 0);
    expect(await userSaid([id])).toHaveLength(1);
    // And once more after its turn ran: acknowledged, not answered again.
    const calls = await eventually(async () => api.to(waId).length, (n) => n > 0);
    const late = await postMetaWebhook(service.url, 'whatsapp', meta.secrets.whatsapp, payload);
    expect(late.status).toBe(200);
    expect(await userSaid([id])).toHaveLength(1);
    expect(await db().selectFrom('conversations').select('id').innerJoin('contact_identities as i', 'i.contact_id', 'conversations.contact_id').where('i.sender_id', '=', waId).execute()).toHaveLength(1);
    expect(api.to(waId)).toHaveLength(calls);
  });

  test('a batch for many customers is stored whole and each customer’s messages are answered in the order sent', async () => {
    const customers = Array.from({ length: 4 }, () => newWaId());
    const texts = ['hello', 'where is my order?', 'thanks'];
    const now = Math.floor(Date.now() / 1000);
    // Interleaved across customers, each customer's three messages one second apart.
    const messages = texts.flatMap((text, i) => customers.map((from) => ({ from, id: wamid(), text, timestamp: now - 10 + i })));
    const res = await postMetaWebhook(service.url, 'whatsapp', meta.secrets.whatsapp, whatsAppMessagesWebhook(meta.ids.whatsapp, messages));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 12, duplicates: 0, statuses: 0 });
    const ids = messages.map((m) => m.id);
    await eventually(() => rowsOf('whatsapp', ids), (rows) => rows.length === 0, 60_000);
    const said = await userSaid(ids);
    expect(said).toHaveLength(12);
    for (const from of customers) {
      const mine = messages.filter((m) => m.from === from).map((m) => said.find((s) => s.provider_message_id === m.id)!);
      expect(new Set(mine.map((s) => s.conversation_id)).size).toBe(1);
      expect(mine.map((s) => s.seq)).toEqual([...mine.map((s) => s.seq)].sort((a, b) => a - b));
    }
  });

  test('statuses update the reply’s row: read reported before delivered (and a late sent) ends read', async () => {
    const waId = newWaId();
    const [reply] = await whatsAppText(waId, 'hello');
    const sentId = reply!.id!;
    const rowOf = () => db().selectFrom('outbound_messages').select(['status']).where('provider_message_id', '=', sentId).executeTakeFirstOrThrow();
    expect((await rowOf()).status).toBe('sent');
    for (const status of ['read', 'delivered', 'sent'] as const) {
      const res = await postMetaWebhook(service.url, 'whatsapp', meta.secrets.whatsapp, whatsAppStatusesWebhook(meta.ids.whatsapp, [{ id: sentId, status, recipient: waId }]));
      expect(res.status).toBe(200);
    }
    expect((await rowOf()).status).toBe('read');
  });

  test('identity: a customer known by wa_id and business-scoped user id is one contact, and a later message with the user id only finds it', async () => {
    const waId = newWaId();
    const userId = `US.${randomBytes(8).toString('hex')}`;
    const first = wamid();
    await turn('whatsapp', waId, whatsAppMessagesWebhook(meta.ids.whatsapp, [{ from: waId, userId, id: first, text: 'hello' }]), first);
    const [byWaId] = await identities('whatsapp', waId);
    const [byUserId] = await identities('whatsapp', userId);
    expect(byWaId?.contact_id).toBeDefined();
    expect(byUserId?.contact_id).toBe(byWaId?.contact_id);

    const withheld = wamid();
    const calls = await turn('whatsapp', userId, whatsAppMessagesWebhook(meta.ids.whatsapp, [{ from: '', userId, id: withheld, text: 'hello again' }]), withheld);
    // Answered to the user id (the phone is withheld), in the same contact's conversation.
    expect(calls[0]?.body).toMatchObject({ recipient: userId });
    expect(calls[0]?.body).not.toHaveProperty('to');
    const [said] = await userSaid([withheld]);
    const conversation = await db().selectFrom('conversations').select('contact_id').where('id', '=', said!.conversation_id).executeTakeFirstOrThrow();
    expect(conversation.contact_id).toBe(byWaId?.contact_id);
  });

  test('end to end: order status over the Cloud API, verified with the code from the dev outbox', async () => {
    const waId = newWaId();
    const claim = await whatsAppText(waId, 'where is my order 100234?');
    const claimText = claim.map(textOf).join('\n');
    expect(claimText).toMatch(/6-digit code/);
    expect(claimText).not.toMatch(/shipped|UPS|track/i);
    // Every reply from the configured number, authenticated with the token.
    expect(claim.every((c) => c.node === meta.ids.whatsapp && c.authorized && c.version === 'v21.0' && c.body.messaging_product === 'whatsapp')).toBe(true);
    const code = await latestCode(service.url, ADA_EMAIL);
    expect(code).toMatch(/^\d{6}$/);
    const answer = (await whatsAppText(waId, code!)).map(textOf).join('\n');
    expect(answer).toMatch(/Order 100234: Shipped/);
    expect(answer).toMatch(/UPS/);
  });

  test('an agent reply outside the 24-hour window is refused with the reason, nothing stored or sent, and the approved template goes instead', async () => {
    const waId = newWaId();
    await whatsAppText(waId, 'talk to a person');
    const [said] = await db()
      .selectFrom('conversation_events as e')
      .innerJoin('contact_identities as i', (j) => j.on('i.sender_id', '=', waId).on('i.channel', '=', 'whatsapp'))
      .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'e.conversation_id').onRef('c.contact_id', '=', 'i.contact_id'))
      .select('e.conversation_id')
      .execute();
    const conversationId = said!.conversation_id;
    const { supervisor } = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(supervisor.email, supervisor.password);

    // Inside the window: the reply goes out as text.
    const inside = await agent.post(`/conversations/${conversationId}/messages`, { text: 'Hi, I am looking at your order now.' });
    expect(inside.status).toBe(200);
    await eventually(async () => api.to(waId).filter((c) => JSON.stringify(c.body).includes('looking at your order')).length, (n) => n === 1);

    // The customer last wrote 25 hours ago.
    await db().updateTable('messaging_windows').set({ last_inbound_at: new Date(Date.now() - 25 * 3600_000) }).where('channel', '=', 'whatsapp').where('customer', '=', waId).execute();
    const eventsBefore = await db().selectFrom('conversation_events').select('seq').where('conversation_id', '=', conversationId).execute();
    const callsBefore = api.attemptsTo(waId).length;
    const refused = await agent.post(`/conversations/${conversationId}/messages`, { text: 'Are you still there?' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'SB_ERR_OUTSIDE_WINDOW', details: [{ path: 'window', message: 'closed: send a template' }] } });
    expect((refused.body as { error: { message: string } }).error.message).toMatch(/last wrote at .*24 hours.*template/);
    expect(await db().selectFrom('conversation_events').select('seq').where('conversation_id', '=', conversationId).execute()).toHaveLength(eventsBefore.length);
    expect(api.attemptsTo(waId)).toHaveLength(callsBefore);

    const template = await agent.post(`/conversations/${conversationId}/templates`, { template: 'follow_up' });
    expect(template.status).toBe(200);
    const [sent] = await eventually(async () => api.to(waId).slice(callsBefore), (calls) => calls.length === 1);
    expect(sent!.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: waId,
      type: 'template',
      template: { name: 'support_follow_up', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text' }, { type: 'text' }, { type: 'text' }] }] },
    });
    const row = await eventually(
      () => db().selectFrom('outbound_messages').select(['status', 'provider_message_id']).where('conversation_id', '=', conversationId).orderBy('seq', 'desc').executeTakeFirstOrThrow(),
      (r) => r.status === 'sent',
    );
    expect(row.provider_message_id).toBe(sent!.id);
    // An unknown template use is a 400 naming the field.
    const bad = await agent.post(`/conversations/${conversationId}/templates`, { template: 'promo' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('template');
  });

  test('Messenger and Instagram: a message in, the answer out through the Send API as a RESPONSE; a quick reply comes back as the customer’s choice', async () => {
    for (const [channel, object] of [['messenger', 'page'], ['instagram', 'instagram']] as const) {
      const psid = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const mid = `m_${randomBytes(8).toString('hex')}`;
      const calls = await turn(channel, psid, messagingWebhook(object, meta.ids[channel], { from: psid, mid, text: 'hello' }), mid);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((c) => c.node === meta.ids[channel] && c.authorized && c.body.messaging_type === 'RESPONSE')).toBe(true);
      expect(calls[0]!.body).toMatchObject({ recipient: { id: psid } });
      const quick = `m_${randomBytes(8).toString('hex')}`;
      const res = await postMetaWebhook(service.url, channel, meta.secrets[channel], messagingWebhook(object, meta.ids[channel], { from: psid, mid: quick, text: 'Talk to a person', quickReply: 'intent:human_agent' }));
      expect(res.status).toBe(200);
      await eventually(() => rowsOf(channel, [quick]), (rows) => rows.length === 0);
      const stored = await db().selectFrom('conversation_events').select('payload').where('provider_message_id', '=', quick).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored.payload)).toContain('intent:human_agent');
      // Delivery receipts update our row.
      const delivered = await postMetaWebhook(service.url, channel, meta.secrets[channel], {
        object,
        entry: [{ id: meta.ids[channel], messaging: [{ sender: { id: psid }, recipient: { id: meta.ids[channel] }, delivery: { mids: [calls[0]!.id] } }] }],
      });
      expect(delivered.status).toBe(200);
      expect((await db().selectFrom('outbound_messages').select('status').where('provider_message_id', '=', calls[0]!.id).executeTakeFirstOrThrow()).status).toBe('delivered');
    }
  });
});

/** The text a Graph API call showed the customer. */
function textOf(call: GraphCall): string {
  const body = call.body as { text?: { body?: string } | string; interactive?: { body?: { text?: string } } };
  if (typeof body.text === 'object') return body.text.body ?? '';
  if (body.interactive !== undefined) return body.interactive.body?.text ?? '';
  return '';
}

function flipLastHex(signature: string): string {
  const last = signature.at(-1)!;
  return `${signature.slice(0, -1)}${last === '0' ? '1' : '0'}`;
}
