import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { launchChromium, signInToConsole, watchErrors } from '../test/browser.js';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { ApiContract } from '../test/openapi-validate.js';
import { DEPLOYMENTS, type TestService } from '../test/service.js';
import type { TwilioApiStandIn } from '../test/twilio-api.js';
import { inboundForm, postTwilio, startTwilioTestService, type TwilioTarget } from '../test/twilio-webhook.js';

const ADA = DEMO_FIXTURES;

/**
 * One conversation that spans web chat and SMS: an agent's reply goes where the customer last
 * wrote, or on the channel the agent chose among those the customer used in it.
 */
describe.each(DEPLOYMENTS)('an agent replies on the channel the customer last used, or one the agent chooses (%s)', (deployment) => {
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  let target: TwilioTarget;
  let dispose: (() => Promise<void>) | undefined;
  let browser: Browser;
  /** Ada's conversation across web chat and SMS, held by the supervisor after the first test. */
  let adasConversation: string | null = null;
  beforeAll(async () => {
    [{ twilioApi, service, target, dispose }, browser] = await Promise.all([startTwilioTestService(deployment, { TWILIO_REPLY_BUDGET_MS: '0', ROUTING_AUTO_ASSIGN: 'false' }), launchChromium()]);
    await service.agentConsole.prepare();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await dispose?.();
  });

  test('a conversation started on web chat and continued by SMS: the reply with channel "sms" is a text, without a channel it goes to web chat, and a channel the customer never used is refused', async () => {
    // Ada verifies on web chat, then texts from the number on file: the same conversation.
    const web = await new ChatClient(service.url).start();
    await web.say('I need to cancel my order');
    await web.say(ADA.cancellableOrder);
    const code = await latestCode(service.url, ADA.email);
    expect(textOf(await web.say(code!))).toMatch(/Shall I cancel/);
    const { conversationId } = await web.history();
    adasConversation = conversationId;
    expect((await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from: ADA.phone, body: 'I want to talk to a person' }))).status).toBe(200);
    const sql = async <T>(text: string, params: unknown[]) => (await service.database.executeSql(text, params)).rows as T[];
    await expect.poll(async () => (await sql<{ status: string }>(`select status from conversations where id = $1`, [conversationId]))[0]?.status, { timeout: 30_000 }).toBe('queued');
    // And writes on web chat again: that is now the channel she last used.
    await web.say('I am back on the website');
    await expect.poll(async () => (await sql<{ reply_channel: string }>(`select reply_channel from conversations where id = $1`, [conversationId]))[0]?.reply_channel, { timeout: 30_000 }).toBe('webchat');

    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    agent.contract = await ApiContract.of(service.url);
    const textsBefore = twilioApi.to(ADA.phone).length;
    expect((await agent.post(`/conversations/${conversationId}/messages`, { text: 'I will text you the details.', channel: 'sms' })).status).toBe(200);
    await expect.poll(() => twilioApi.to(ADA.phone).map((m) => m.form.Body), { timeout: 30_000 }).toContain('I will text you the details.');
    expect(twilioApi.to(ADA.phone)).toHaveLength(textsBefore + 1);
    const agentRows = async () => sql<{ channel: string; identity: string; status: string }>(`select channel, identity, status from outbound_messages where conversation_id = $1 and author = 'agent' order by seq`, [conversationId]);
    await expect.poll(agentRows, { timeout: 30_000 }).toEqual([{ channel: 'sms', identity: ADA.phone, status: 'sent' }]);

    // Without a channel: where she last wrote.
    expect((await agent.post(`/conversations/${conversationId}/messages`, { text: 'Or read them here.' })).status).toBe(200);
    await expect.poll(async () => (await agentRows()).map((r) => r.channel), { timeout: 30_000 }).toEqual(['sms', 'webchat']);
    expect(twilioApi.to(ADA.phone).map((m) => m.form.Body)).not.toContain('Or read them here.');

    // A channel she never wrote on in this conversation: 422, nothing stored or sent.
    const eventsBefore = (await sql<{ n: number }>(`select count(*)::int as n from conversation_events where conversation_id = $1`, [conversationId]))[0]!.n;
    const refused = await agent.post(`/conversations/${conversationId}/messages`, { text: 'On WhatsApp?', channel: 'whatsapp' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [{ path: 'channel' }] } });
    expect((await sql<{ n: number }>(`select count(*)::int as n from conversation_events where conversation_id = $1`, [conversationId]))[0]!.n).toBe(eventsBefore);

    // One history: each reply tagged with the channel it went out on.
    const detail = await agent.get(`/conversations/${conversationId}`);
    const transcript = (detail.body as { transcript: Array<{ author: string; text: string; channel?: string }> }).transcript;
    expect(transcript.filter((m) => m.author === 'agent').map((m) => [m.channel, m.text])).toEqual([
      ['sms', 'I will text you the details.'],
      ['webchat', 'Or read them here.'],
    ]);
  });

  test('the Reply box offers "Reply on" only for a conversation on more than one channel, set to the last; choosing SMS sends a text', async () => {
    expect(adasConversation).not.toBeNull();
    const demo = await demoAgents(service.env.DATA_DIR!);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signInToConsole(page, service.url, demo.supervisor);

    // A web-chat-only conversation: no channel choice.
    await handedOffCustomer(service.url, 'talk to a person about my router');
    const queued = page.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Visitor' });
    await expect.poll(() => queued.count(), { timeout: 15_000 }).toBe(1);
    await queued.getByRole('button').click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByLabel('Reply', { exact: true }).waitFor();
    expect(await page.getByLabel('Reply on').count()).toBe(0);

    // Ada's: web chat and SMS, she last wrote on web chat.
    const adas = page.getByRole('list', { name: 'My conversations' }).getByRole('listitem').filter({ hasText: 'Ada' });
    await expect.poll(() => adas.count(), { timeout: 15_000 }).toBe(1);
    await adas.getByRole('button').click();
    const replyOn = page.getByLabel('Reply on');
    await expect.poll(() => replyOn.inputValue(), { timeout: 15_000 }).toBe('webchat');
    expect(await replyOn.locator('option').allInnerTexts()).toEqual(['webchat', 'sms']);
    await replyOn.selectOption('sms');
    await page.getByLabel('Reply', { exact: true }).fill('Your refund is on its way.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => twilioApi.to(ADA.phone).map((m) => m.form.Body), { timeout: 30_000 }).toContain('Your refund is on its way.');
    expect(errors).toEqual([]);
    await page.close();
  });
});
