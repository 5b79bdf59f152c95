import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationDetailSchema, QueueSchema } from '../core/agent-api.js';
import type { ChatClient } from '../test/chat-client.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { ApiContract } from '../test/openapi-validate.js';

// Postgres + Redis behind two instances: what one instance marks read, the other counts.
describe('unread counts and resolve outcomes in the agent API (two instances)', () => {
  let pair: InstancePair;
  let supervisor: AgentClient;
  let returns: AgentClient;
  let technical: AgentClient;

  beforeAll(async () => {
    pair = await startInstancePair('redis+postgres', { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ROUTING_AUTO_ASSIGN: 'false' });
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const contract = await ApiContract.of(pair.a.url);
    const client = (url: string): AgentClient => Object.assign(new AgentClient(url), { contract });
    supervisor = await client(pair.a.url).login(demo.supervisor.email, demo.supervisor.password);
    returns = await client(pair.b.url).login(demo.returns.email, demo.returns.password);
    technical = await client(pair.b.url).login(demo.technical.email, demo.technical.password);
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  async function unread(agent: AgentClient, conversationId: string): Promise<number | undefined> {
    const res = await agent.get('/queue');
    expect(res.status).toBe(200);
    return QueueSchema.parse(res.body).conversations.find((c) => c.id === conversationId)?.unread;
  }

  /** A handed-off conversation in the returns team's queue. */
  async function returnsConversation(): Promise<{ customer: ChatClient; conversationId: string }> {
    const { client: customer, conversationId } = await handedOffCustomer(pair.a.url);
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', reason: 'about a return' })).status).toBe(200);
    return { customer, conversationId };
  }

  test('customer messages count as unread per agent until that agent opens the conversation, on either instance', async () => {
    const { customer, conversationId } = await returnsConversation();
    // Nobody opened it yet: the customer's request for a person is unread for everyone who sees it.
    expect(await unread(supervisor, conversationId)).toBe(1);
    expect(await unread(returns, conversationId)).toBe(1);

    // The returns agent opens it on instance B: read for them, not for the supervisor.
    expect((await returns.get(`/conversations/${conversationId}`)).status).toBe(200);
    expect(await unread(returns, conversationId)).toBe(0);
    expect(await unread(returns.on(pair.a.url), conversationId)).toBe(0);
    expect(await unread(supervisor, conversationId)).toBe(1);

    await customer.say('It is the kettle from order 100234');
    await customer.say('It leaks');
    expect(await unread(returns, conversationId)).toBe(2);
    expect(await unread(supervisor.on(pair.b.url), conversationId)).toBe(3);

    // Agents' own replies and notes are not unread; a claim is not a read.
    expect((await returns.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    expect((await returns.post(`/conversations/${conversationId}/messages`, { text: 'Sorry to hear that, let me look.' })).status).toBe(200);
    expect((await supervisor.post(`/conversations/${conversationId}/notes`, { text: 'Known batch issue.' })).status).toBe(200);
    expect(await unread(returns, conversationId)).toBe(2);

    // The supervisor reads it on instance A; the returns agent's count is theirs alone.
    expect((await supervisor.get(`/conversations/${conversationId}`)).status).toBe(200);
    expect(await unread(supervisor.on(pair.b.url), conversationId)).toBe(0);
    expect(await unread(returns, conversationId)).toBe(2);
    expect((await returns.on(pair.a.url).get(`/conversations/${conversationId}`)).status).toBe(200);
    expect(await unread(returns, conversationId)).toBe(0);
  }, 120_000);

  test("an agent outside the conversation's team cannot mark it read or see its count", async () => {
    const { conversationId } = await returnsConversation();
    expect((await technical.get(`/conversations/${conversationId}`)).status).toBe(404);
    expect(await unread(technical, conversationId)).toBeUndefined();
    expect(await unread(returns, conversationId)).toBe(1);
  }, 120_000);

  test('resolving records the steps taken and links, shown in the conversation', async () => {
    const { conversationId } = await returnsConversation();
    expect((await returns.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    const outcome = {
      disposition: 'solved',
      steps: 'Checked the order, started a return with a prepaid label.',
      links: ['https://files.voltline.example/screens/leak.png', 'http://tickets.internal:8080/T-42'],
    };
    const resolved = await returns.post(`/conversations/${conversationId}/resolve`, outcome);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved' });

    const detail = ConversationDetailSchema.parse((await supervisor.on(pair.b.url).get(`/conversations/${conversationId}`)).body);
    expect(detail.outcomes).toEqual([{ seq: expect.any(Number), at: expect.any(String), agentId: expect.any(String), agentName: 'Sam', ...outcome }]);
  }, 120_000);

  test('resolving with the disposition alone still works and shows no steps or links', async () => {
    const { conversationId } = await returnsConversation();
    expect((await returns.post(`/conversations/${conversationId}/resolve`, { disposition: 'duplicate' })).status).toBe(200);
    const detail = ConversationDetailSchema.parse((await returns.get(`/conversations/${conversationId}`)).body);
    expect(detail.outcomes).toEqual([expect.objectContaining({ disposition: 'duplicate', steps: null, links: [] })]);
  }, 120_000);

  test.each([
    ['a javascript: link', { disposition: 'solved', links: ['javascript:alert(document.cookie)'] }, 'body.links[0]'],
    ['a data: link', { disposition: 'solved', links: ['https://ok.example/a.png', 'data:text/html,<script>alert(1)</script>'] }, 'body.links[1]'],
    ['something that is no URL', { disposition: 'solved', links: ['see the screenshot'] }, 'body.links[0]'],
    ['eleven links', { disposition: 'solved', links: Array.from({ length: 11 }, (_, i) => `https://files.example/${i}.png`) }, 'body.links'],
    ['steps over 2000 characters', { disposition: 'solved', steps: 'x'.repeat(2001) }, 'body.steps'],
    ['no disposition', { steps: 'Did things.' }, 'body.disposition'],
  ])('refuses %s with a 400 naming the field, and leaves the conversation open', async (_name, body, field) => {
    const { conversationId } = await returnsConversation();
    const res = await returns.post(`/conversations/${conversationId}/resolve`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [expect.objectContaining({ path: field })] } });
    const detail = ConversationDetailSchema.parse((await returns.get(`/conversations/${conversationId}`)).body);
    expect(detail.status).toBe('queued');
    expect(detail.outcomes).toEqual([]);
  }, 120_000);
});
