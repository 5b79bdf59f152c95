import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient } from '../test/chat-client.js';
import { startTestService, type TestService } from '../test/service.js';
import { eventually, TestChannelCustomer, TestChannelProvider } from '../test/test-channel-provider.js';

describe('"<first name> from <shop> has joined" on a text-only channel', () => {
  let provider: TestChannelProvider;
  let service: TestService;
  let sam: AgentClient;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService('embedded', { ...provider.env(), ROUTING_AUTO_ASSIGN: 'false' });
    const demo = await demoAgents(service.env.DATA_DIR!);
    sam = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  /** What the outbound queue holds for a conversation that says someone joined. */
  const joinedRows = async (conversationId: string) => {
    const rows = await service.database.db.selectFrom('outbound_messages').select(['content', 'author', 'channel']).where('conversation_id', '=', conversationId).execute();
    return rows.filter((r) => JSON.stringify(r.content).includes('has joined'));
  };

  test('a claim on the test channel sends exactly one joined message, first name only; claiming again sends none', async () => {
    const customer = new TestChannelCustomer(service, provider);
    const { conversationId } = await customer.say('talk to a person');
    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    const rows = await eventually(() => joinedRows(conversationId), (r) => r.length > 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ author: 'bot', channel: 'test' });
    expect(JSON.stringify(rows[0]!.content)).toContain('Sam from Voltline has joined the conversation.');
    await eventually(async () => provider.to(customer.id).filter((d) => d.request.parts.join(' ').includes('Sam from Voltline has joined')).length, (n) => n === 1);

    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    expect(await joinedRows(conversationId)).toHaveLength(1);
    expect(provider.to(customer.id).filter((d) => d.request.parts.join(' ').includes('has joined'))).toHaveLength(1);
  });

  test('on the web chat the widget shows its own status line: no joined message is queued', async () => {
    const web = await new ChatClient(service.url).start();
    await web.say('talk to a person');
    const { conversationId } = await web.history();
    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    expect(await joinedRows(conversationId!)).toHaveLength(0);
  });
});

describe('"has joined" when a routing offer is accepted on a text-only channel', () => {
  let provider: TestChannelProvider;
  let service: TestService;
  let agents: AgentClient[];
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    // Offers end by the agent's answer here, not the clock.
    service = await startTestService('embedded', { ...provider.env(), ROUTING_AUTO_ASSIGN: 'true', ROUTING_OFFER_TIMEOUT_SECONDS: '300' });
    const demo = await demoAgents(service.env.DATA_DIR!);
    agents = await Promise.all([demo.returns, demo.technical, demo.supervisor].map((a) => new AgentClient(service.url).login(a.email, a.password)));
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  test('the agent who accepts the offer is announced once, by first name', async () => {
    const customer = new TestChannelCustomer(service, provider);
    const { conversationId } = await customer.say('talk to a person');
    const offeredTo = async () => {
      for (const agent of agents) {
        const offers = ((await agent.get('/presence')).body as { offers: Array<{ conversationId: string }> }).offers;
        if (offers.some((o) => o.conversationId === conversationId)) return agent;
      }
      return null;
    };
    const agent = await eventually(offeredTo, (a) => a !== null);
    expect((await agent!.post(`/conversations/${conversationId}/accept`)).status).toBe(200);
    const rows = await eventually(
      async () => (await service.database.db.selectFrom('outbound_messages').select(['content', 'author']).where('conversation_id', '=', conversationId).execute()).filter((r) => JSON.stringify(r.content).includes('has joined')),
      (r) => r.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.author).toBe('bot');
    expect(JSON.stringify(rows[0]!.content)).toMatch(/[A-Z][a-z]+ from Voltline has joined the conversation\./);
  });
});
