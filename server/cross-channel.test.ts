import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { eventually, TestChannelCustomer, TestChannelProvider } from '../test/test-channel-provider.js';

const ADA = DEMO_FIXTURES;

describe.each(DEPLOYMENTS)('one conversation across channels (%s)', (deployment) => {
  let provider: TestChannelProvider;
  let service: TestService;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService(deployment, provider.env());
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  const db = () => service.database.db;
  /** Ada's conversation, verified on web chat and continued from her phone. */
  let adasConversation: string | null = null;
  const codesTo = async (recipient: string) => (await db().selectFrom('outbox_messages').select('id').where('recipient', '=', recipient).execute()).length;

  test('a cancellation started and verified on web chat is finished by text from the number on file, without asking again; the agent sees one history with channel tags', async () => {
    const web = await new ChatClient(service.url).start();
    const asked = await web.say('I need to cancel my order');
    expect(textOf(asked)).toMatch(/What's the order number\?/);
    const sent = await web.say(ADA.cancellableOrder);
    expect(textOf(sent)).toMatch(/6-digit code/);
    const code = await latestCode(service.url, ADA.email);
    const offered = await web.say(code!);
    expect(textOf(offered)).toMatch(new RegExp(`Order ${ADA.cancellableOrder} .*Shall I cancel the whole order\\?`));
    const { conversationId } = await web.history();
    adasConversation = conversationId;

    // Later, from her phone.
    const codesBefore = await codesTo(ADA.phone);
    const phone = new TestChannelCustomer(service, provider, ADA.phone);
    const done = await phone.say('yes please');
    expect(done.conversationId).toBe(conversationId);
    expect(done.text).toMatch(/cancel/i);
    expect(done.text).not.toMatch(/order number|6-digit code/i);
    expect(await codesTo(ADA.phone)).toBe(codesBefore);
    expect((await db().selectFrom('orders').select('status').where('number', '=', ADA.cancellableOrder).executeTakeFirstOrThrow()).status).toBe('cancelled');
    // Replies now go where she last wrote.
    const projection = await db().selectFrom('conversations').select(['reply_channel', 'reply_identity']).where('id', '=', conversationId!).executeTakeFirstOrThrow();
    expect(projection).toEqual({ reply_channel: 'test', reply_identity: ADA.phone });
    expect(provider.to(ADA.phone).length).toBeGreaterThan(0);

    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    const detail = await agent.get(`/conversations/${conversationId}`);
    expect(detail.status).toBe(200);
    const transcript = (detail.body as { transcript: Array<{ author: string; text: string; channel?: string }> }).transcript;
    expect(transcript.every((m) => m.channel !== undefined)).toBe(true);
    const customerSaid = transcript.filter((m) => m.author === 'customer').map((m) => [m.channel, m.text]);
    expect(customerSaid).toEqual([
      ['webchat', 'I need to cancel my order'],
      ['webchat', ADA.cancellableOrder],
      ['webchat', expect.any(String)],
      ['test', 'yes please'],
    ]);
    expect(transcript.at(-1)?.channel).toBe('test');
  });

  test("a household number on Ada's profile, an unknown number or a typed claim never joins her open conversation", async () => {
    const conversationId = adasConversation;
    expect(conversationId).not.toBeNull();
    // The landline is Grace's number and listed, shared, on Ada's profile.
    await db().updateTable('customers').set({ phone: '+14155550177' }).where('id', '=', ADA.second.customerId).execute();
    await db().insertInto('customer_contacts').values({ customer_id: ADA.customerId, kind: 'phone', value: '+14155550177', shared: true }).execute();
    const household = new TestChannelCustomer(service, provider, '+14155550177');
    const fromLandline = await household.say('yes');
    expect(fromLandline.conversationId).not.toBe(conversationId);
    const stranger = new TestChannelCustomer(service, provider, '+14155550188');
    const turn = await stranger.say('yes');
    expect(turn.conversationId).not.toBe(conversationId);
    // A typed claim is no link either.
    const claimer = new TestChannelCustomer(service, provider, '+14155550189');
    const claimed = await claimer.say(`I'm Ada Lovelace, ${ADA.email}, order ${ADA.shippedOrder}`);
    expect(claimed.conversationId).not.toBe(conversationId);
    expect(claimed.text).not.toMatch(/UPS/);
  });

  test('while a person holds the continued conversation, a text from the customer is relayed and the bot stays quiet', async () => {
    const conversationId = adasConversation!;
    const phone = new TestChannelCustomer(service, provider, ADA.phone);
    const handoff = await phone.say('I want to talk to a person');
    expect(handoff.conversationId).toBe(conversationId);
    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    expect((await agent.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    const relayed = await phone.say('hello? are you there?');
    expect(relayed.conversationId).toBe(conversationId);
    expect(relayed.replies).toEqual([]);
    // The agent's reply goes to the channel she last wrote on.
    const before = provider.to(ADA.phone).length;
    expect((await agent.post(`/conversations/${conversationId}/messages`, { text: 'Hi Ada, Sam here.' })).status).toBe(200);
    await eventually(async () => provider.to(ADA.phone).length, (n) => n > before);
  });
});
