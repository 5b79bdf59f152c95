import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AgentClient, demoAgents } from '../../test/agent-client.js';
import { DEPLOYMENTS, type TestService } from '../../test/service.js';
import { TWILIO_ERRORS, type TwilioApiStandIn } from '../../test/twilio-api.js';
import { inboundForm, messageSid, postTwilio, startTwilioTestService, TWILIO_NUMBER, type TwilioTarget } from '../../test/twilio-webhook.js';

const WHATSAPP_FROM = 'whatsapp:+14155550199';
let next = 3000;
const customer = () => `+1415555${String((next += 1)).padStart(4, '0')}`;

/**
 * Replies through Twilio's REST API with the official client (TWILIO_REPLY_BUDGET_MS=0: no
 * TwiML, every reply by REST, as agent replies and replies after the budget are): status
 * callbacks, provider failures, opt-outs and WhatsApp.
 */
describe.each(DEPLOYMENTS)('SMS and WhatsApp replies through the Twilio REST API (%s)', (deployment) => {
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  let target: TwilioTarget;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ twilioApi, service, target, dispose } = await startTwilioTestService(deployment, { TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_REPLY_BUDGET_MS: '0' }));
  });
  afterAll(async () => {
    await dispose?.();
  });

  const say = (from: string, body: string, sid = messageSid()) => postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from, body, sid }));
  const row = async (identity: string) =>
    (await service.database.executeSql(`select status, last_error, provider_message_id, attempts from outbound_messages where identity = $1 order by seq desc limit 1`, [identity])).rows[0] as
      | { status: string; last_error: string | null; provider_message_id: string | null; attempts: number }
      | undefined;

  test('a reply leaves by Messages.create from TWILIO_FROM with the status callback URL; the webhook answered an empty <Response/>', async () => {
    const from = customer();
    const answer = await say(from, 'hello');
    expect(answer.status).toBe(200);
    expect(answer.messages).toEqual([]);
    await expect.poll(() => twilioApi.to(from).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const [sent] = twilioApi.to(from);
    expect(sent!.form).toMatchObject({ To: from, From: TWILIO_NUMBER, StatusCallback: `${service.url}/channels/twilio/status` });
    await expect.poll(async () => (await row(from))?.status, { timeout: 30_000 }).toBe('sent');
    expect(twilioApi.to(from).map((m) => m.sid)).toContain((await row(from))?.provider_message_id);
  });

  test('status callbacks update the row by MessageSid, never backwards: read before delivered ends read; unknown SIDs are acknowledged', async () => {
    const from = customer();
    await say(from, 'hello');
    await expect.poll(async () => (await row(from))?.status, { timeout: 30_000 }).toBe('sent');
    const sid = (await row(from))!.provider_message_id!;
    const status = (MessageStatus: string, MessageSid = sid) =>
      postTwilio(target, '/channels/twilio/status', [['MessageSid', MessageSid], ['MessageStatus', MessageStatus], ['AccountSid', twilioApi.accountSid], ['To', from], ['From', TWILIO_NUMBER]]);
    for (const s of ['sent', 'read', 'delivered', 'undelivered']) expect((await status(s)).status).toBe(200);
    expect((await row(from))?.status).toBe('read');
    expect((await status('delivered', messageSid())).status).toBe(200);
    const unsigned = await postTwilio(target, '/channels/twilio/status', [['MessageSid', sid], ['MessageStatus', 'failed']], { sign: 'none' });
    expect(unsigned.status).toBe(403);
    expect((await row(from))?.status).toBe('read');
  });

  test('Twilio answering 500, then 429 with Retry-After, then accepting: exactly one message, sent no sooner than Retry-After allowed', async () => {
    const from = customer();
    twilioApi.script({ status: 500 }, { status: 429, retryAfterSeconds: 2 });
    await say(from, 'hello');
    const rows = async () =>
      (await service.database.executeSql(`select status, attempts from outbound_messages where identity = $1 order by seq`, [from])).rows as Array<{ status: string; attempts: number }>;
    await expect.poll(async () => (await rows()).some((r) => r.status === 'sent') && (await rows()).every((r) => r.status === 'sent'), { timeout: 60_000 }).toBe(true);
    const replies = await rows();
    expect(replies.length).toBeGreaterThan(0);
    const calls = twilioApi.calls.filter((c) => c.form.To === from);
    // The first reply met the outage; then every reply (each part its own SMS) was delivered exactly once.
    expect(calls.slice(0, 2).map((c) => c.status)).toEqual([500, 429]);
    expect(calls.slice(2).every((c) => c.status === 201)).toBe(true);
    const bodies = twilioApi.to(from).map((m) => m.form.Body);
    expect(bodies.length).toBeGreaterThanOrEqual(replies.length);
    expect(new Set(bodies).size, 'no part sent twice').toBe(bodies.length);
    expect(calls[2]!.at - calls[1]!.at, 'the retry came after Retry-After').toBeGreaterThanOrEqual(2000);
    expect(replies[0]!.attempts).toBe(3);
  });

  test('STOP opts the number out: confirmed once, then neither the bot nor an agent reaches it; START opts back in', async () => {
    const from = customer();
    const stop = await say(from, '  stop ');
    expect(stop.messages).toEqual([expect.stringMatching(/unsubscribed.*START/)]);
    const before = twilioApi.calls.filter((c) => c.form.To === from).length;
    // A handoff: the bot's reply and then an agent's are both refused as opted out.
    await say(from, 'talk to a person');
    await expect.poll(async () => (await row(from))?.last_error, { timeout: 30_000 }).toBe('opted_out');
    const conversation = (await service.database.executeSql(`select conversation_id from outbound_messages where identity = $1 limit 1`, [from])).rows[0] as { conversation_id: string };
    const agents = await demoAgents(service.env.DATA_DIR!);
    const supervisor = await new AgentClient(service.url).login(agents.supervisor.email, agents.supervisor.password);
    expect((await supervisor.post(`/conversations/${conversation.conversation_id}/messages`, { text: 'Hi, this is Sam from support.' })).status).toBe(200);
    await expect.poll(async () => (await service.database.executeSql(`select count(*)::int as n from outbound_messages where identity = $1 and author = 'agent' and status = 'failed' and last_error = 'opted_out'`, [from])).rows[0], { timeout: 30_000 }).toEqual({ n: 1 });
    expect(twilioApi.calls.filter((c) => c.form.To === from).length, 'no REST call to an opted-out number').toBe(before);
    const start = await say(from, 'START');
    expect(start.messages).toEqual([expect.stringMatching(/resubscribed/)]);
    expect((await supervisor.post(`/conversations/${conversation.conversation_id}/messages`, { text: 'Welcome back.' })).status).toBe(200);
    await expect.poll(() => twilioApi.to(from).map((m) => m.form.Body), { timeout: 30_000 }).toContain('Welcome back.');
  });

  test('"Stop texting me" in a sentence is not a keyword; YES from a number that never opted out goes to the bot; HELP answers the help text', async () => {
    const from = customer();
    expect((await say(from, 'Stop texting me about the sale')).messages).toEqual([]);
    expect((await say(from, 'yes')).messages).toEqual([]);
    await expect.poll(async () => (await service.database.executeSql(`select count(*)::int as n from conversation_events e join outbound_messages o on o.conversation_id = e.conversation_id where o.identity = $1 and e.type = 'user_said'`, [from])).rows[0], { timeout: 30_000 }).not.toEqual({ n: 0 });
    expect(await service.database.executeSql(`select * from channel_opt_outs where address = $1`, [from]).then((r) => r.rows)).toEqual([]);
    const help = await say(from, 'HELP');
    expect(help.messages).toEqual([expect.stringMatching(/Voltline support.*\/help.*STOP/)]);
  });

  test('Twilio refusing with 21610 records the opt-out and is not retried', async () => {
    const from = customer();
    twilioApi.refuse(from, TWILIO_ERRORS.unsubscribed);
    await say(from, 'hello');
    await expect.poll(async () => (await row(from))?.last_error, { timeout: 30_000 }).toBe('opted_out');
    expect((await row(from))?.attempts).toBe(1);
    expect(await service.database.executeSql(`select opted_out, source from channel_opt_outs where channel = 'sms' and address = $1`, [from]).then((r) => r.rows)).toEqual([{ opted_out: true, source: 'twilio_21610' }]);
  });

  test('WhatsApp over Twilio: a whatsapp: sender is the whatsapp channel, answered from TWILIO_WHATSAPP_FROM inside the 24-hour window', async () => {
    const number = customer();
    const sid = messageSid();
    const answer = await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from: `whatsapp:${number}`, to: WHATSAPP_FROM, body: 'hello', sid, profileName: 'Ada' }));
    expect(answer.status).toBe(200);
    await expect.poll(() => twilioApi.to(`whatsapp:${number}`).length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(twilioApi.to(`whatsapp:${number}`)[0]!.form).toMatchObject({ From: WHATSAPP_FROM, StatusCallback: `${service.url}/channels/twilio/status` });
    const event = (await service.database.executeSql(`select payload from conversation_events where provider_message_id = $1`, [sid])).rows[0] as { payload: { channel: string; senderId: string } | string };
    const payload = typeof event.payload === 'string' ? (JSON.parse(event.payload) as { channel: string; senderId: string }) : event.payload;
    expect(payload).toMatchObject({ channel: 'whatsapp', senderId: number });
    // Status callbacks of WhatsApp messages find the whatsapp row (once its SID is stored).
    await expect.poll(async () => (await row(number))?.provider_message_id, { timeout: 30_000 }).toBeTruthy();
    const sent = (await row(number))!;
    await postTwilio(target, '/channels/twilio/status', [['MessageSid', sent.provider_message_id!], ['MessageStatus', 'read'], ['To', `whatsapp:${number}`], ['From', WHATSAPP_FROM]]);
    expect((await row(number))?.status).toBe('read');
  });

  test('an agent\'s WhatsApp reply outside the 24-hour window is refused before Twilio sees it', async () => {
    const number = customer();
    await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from: `whatsapp:${number}`, to: WHATSAPP_FROM, body: 'hello' }));
    await expect.poll(async () => (await row(number))?.status, { timeout: 30_000 }).toBe('sent');
    // The customer's last message 25 hours ago: an agent's reply now is outside the window.
    await service.database.executeSql(`update messaging_windows set last_inbound_at = now() - interval '25 hours' where channel = 'whatsapp' and customer = $1`, [number]);
    const conversation = (await service.database.executeSql(`select conversation_id from outbound_messages where identity = $1 limit 1`, [number])).rows[0] as { conversation_id: string };
    const agents = await demoAgents(service.env.DATA_DIR!);
    const supervisor = await new AgentClient(service.url).login(agents.supervisor.email, agents.supervisor.password);
    const sentBefore = twilioApi.to(`whatsapp:${number}`).length;
    const reply = await supervisor.post(`/conversations/${conversation.conversation_id}/messages`, { text: 'Following up.' });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: { code: 'SB_ERR_OUTSIDE_WINDOW' } });
    expect(twilioApi.to(`whatsapp:${number}`)).toHaveLength(sentBefore);
  });
});
