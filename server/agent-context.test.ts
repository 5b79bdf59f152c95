import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationDetailSchema, type ConversationDetail } from '../core/agent-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { ConversationHarness } from '../test/conversation.js';
import { startTestService, type TestService } from '../test/service.js';

const ADA = DEMO_FIXTURES;

/** No typed code anywhere in what the agent gets (a code is six digits on its own). */
function expectNoCode(view: unknown, codes: readonly string[]): void {
  const json = JSON.stringify(view);
  for (const code of codes) expect(json).not.toMatch(new RegExp(`\\b${code}\\b`));
}

describe('the context package on pickup (embedded)', () => {
  let harness: ConversationHarness;
  let supervisor: AgentClient;
  let technical: AgentClient;
  beforeAll(async () => {
    harness = await ConversationHarness.start({ env: { ROUTING_AUTO_ASSIGN: 'false', WEBCHAT_MESSAGES_PER_MINUTE: '1000' } });
    const demo = await demoAgents(harness.service.env.DATA_DIR!);
    supervisor = await new AgentClient(harness.service.url).login(demo.supervisor.email, demo.supervisor.password);
    technical = await new AgentClient(harness.service.url).login(demo.technical.email, demo.technical.password);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const view = async (id: string, as: AgentClient = supervisor): Promise<ConversationDetail> => {
    const res = await as.get(`/conversations/${id}`);
    expect(res.status).toBe(200);
    return ConversationDetailSchema.parse(res.body);
  };

  test('Ada, verified on web chat and then on another channel, is one customer: profile, orders with tracking, devices, earlier contacts and both transcripts', async () => {
    const codes: string[] = [];
    // On web chat: a return of the camera from an order delivered 120 days ago, refused by the policy.
    const web = await new ChatClient(harness.service.url).start();
    expect(textOf(await web.say(`I want to return the camera from order ${ADA.setupOrder}`))).toMatch(/6-digit code/);
    const webCode = (await latestCode(harness.service.url, ADA.email))!;
    codes.push(webCode);
    // Out of its window whatever its condition: refused straight away, a warranty claim offered.
    const refused = await web.say(webCode);
    expect(textOf(refused)).toMatch(/the window closed on/i);
    await web.say('talk to a person');
    const webId = (await web.history()).conversationId!;

    // Later, on a text channel: verified again, then asks for a person.
    const text = await harness.conversation({ channel: 'text' });
    await text.send(`where is my order ${ADA.shippedOrder}`).expectReply(/6-digit code/);
    const textCode = await text.takeCode(ADA.email);
    expect(textCode).toMatch(/^\d{6}$/);
    codes.push(textCode!);
    await text.send(textCode!).expectReply(/UPS/);
    await text.send('this is taking too long, let me talk to a human').expectReply(/connecting you|in the queue/i);
    const textId = text.id!;

    const { context, ...detail } = await view(textId);
    expect(detail.verifiedCustomer?.id).toBe(ADA.customerId);
    const customer = context.customer!;
    expect(customer.profile).toMatchObject({ id: ADA.customerId, name: ADA.name, email: ADA.email, phone: ADA.phone, vip: true });
    expect(customer.orders.map((o) => o.number)).toEqual(expect.arrayContaining([...ADA.orders]));
    expect(customer.orders.find((o) => o.number === ADA.shippedOrder)).toMatchObject({
      status: 'shipped',
      shipments: [expect.objectContaining({ carrier: 'UPS', trackingNumber: '1ZV0L7L10312345678', estimatedDelivery: expect.any(String) })],
    });
    expect(customer.devices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ serial: ADA.offlineCameraSerial, model: 'Voltline Cam 360', firmware: '2.3.0', online: false, lastSeenAt: expect.any(String) }),
        expect.objectContaining({ serial: ADA.onlineRouterSerial, firmware: '3.1.4', online: true }),
      ]),
    );
    expect(customer.earlierConversations).toEqual([expect.objectContaining({ id: webId, channel: 'webchat', reason: expect.any(String), status: 'queued' })]);

    // One transcript across both channels, oldest first, each message tagged with where it was said.
    const channels = context.transcript.map((m) => `${m.channel}:${m.author}:${m.text}`);
    const firstWeb = channels.findIndex((m) => m.startsWith('webchat:customer:I want to return the camera'));
    const firstText = channels.findIndex((m) => m.startsWith(`test:customer:where is my order ${ADA.shippedOrder}`));
    expect(firstWeb).toBeGreaterThanOrEqual(0);
    expect(firstText).toBeGreaterThan(firstWeb);
    expect(new Set(context.transcript.map((m) => m.conversationId))).toEqual(new Set([webId, textId]));

    // What the bot tried here: the order-status flow and a code to Ada's email, masked.
    expect(context.tried.codesSent).toEqual([expect.objectContaining({ transport: 'email', destination: 'a••@example.com' })]);
    expect(context.handoff).toMatchObject({ reason: expect.any(String), priority: expect.any(String) });
    expect(context.summary).toMatchObject({ source: 'extractive', fallback: null });
    expect(context.summary.text).toContain(`Verified as ${ADA.name}.`);
    expect(context.sentiment.length).toBe(3);
    expectNoCode({ context, ...detail }, codes);

    // On the web chat conversation: the policy refusal is part of what the bot tried.
    const web2 = await view(webId);
    expect(web2.context.tried.policyDecisions).toEqual([expect.objectContaining({ policy: 'returns', outcome: 'refused', reason: 'outside_window' })]);
    expect(web2.context.summary.text).toMatch(/returns policy refused it \(outside window\)/);
    expect(web2.transcript.some((t) => t.text.includes('••••••'))).toBe(true);
    expectNoCode(web2, codes);
  });

  test("an unverified customer who typed Ada's order number gets no profile, orders, devices or earlier contacts, and the code sent is neither shown nor located", async () => {
    const { client, conversationId } = await handedOffCustomer(harness.service.url, `has ${ADA.shippedOrder} shipped yet?`);
    await client.say('talk to a person');
    const code = (await latestCode(harness.service.url, ADA.email))!;
    const detail = await view(conversationId);
    expect(detail.verifiedCustomer).toBeNull();
    expect(detail.context.customer).toBeNull();
    expect(detail.context.transcript.every((m) => m.conversationId === conversationId)).toBe(true);
    expect(detail.context.transcript.map((m) => m.text)).toContain(`has ${ADA.shippedOrder} shipped yet?`);
    expect(detail.context.tried.codesSent).toEqual([expect.objectContaining({ transport: 'email', destination: null })]);
    expect(detail.context.summary.text).toContain('The customer is not verified.');
    const json = JSON.stringify(detail);
    expect(json).not.toMatch(/Ada|Lovelace|ada@|a••@|\+1415|C1001|CAM360|MESHPRO|1ZV0L7L/);
    expectNoCode(detail, [code]);
  });

  test('the context package is authorised like the conversation: another team gets 404 and nothing of it', async () => {
    const { conversationId } = await handedOffCustomer(harness.service.url, 'talk to a person');
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', reason: 'a return' })).status).toBe(200);
    const res = await technical.get(`/conversations/${conversationId}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('context');
  });
});

/** A scripted OpenAI-compatible endpoint on loopback: answers /chat/completions with `reply`. */
class ChatCompletionsStandIn {
  readonly requests: Array<{ path: string; body: { model?: string; messages?: Array<{ role: string; content: string }> } }> = [];
  reply: { status: number; content: string } = { status: 200, content: '' };
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') as ChatCompletionsStandIn['requests'][number]['body'] });
        res.writeHead(this.reply.status, { 'content-type': 'application/json' });
        res.end(
          this.reply.status === 200
            ? JSON.stringify({
                id: 'chatcmpl-1',
                object: 'chat.completion',
                created: 1,
                model: 'stand-in',
                choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: this.reply.content } }],
                usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
              })
            : JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }),
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    return this;
  }

  /** The requests that asked for a conversation summary (the knowledge base may call the same endpoint). */
  summaryRequests(): ChatCompletionsStandIn['requests'] {
    return this.requests.filter((r) => r.body.messages?.[0]?.content.includes('summarise a customer-support conversation') === true);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
  }
}

describe('an LLM summary through an OpenAI-compatible endpoint (embedded)', () => {
  let llm: ChatCompletionsStandIn;
  let service: TestService;
  let agent: AgentClient;
  beforeAll(async () => {
    llm = await new ChatCompletionsStandIn().start();
    service = await startTestService('embedded', { LLM_BASE_URL: llm.url, LLM_MODEL: 'stand-in', ROUTING_AUTO_ASSIGN: 'false' });
    const demo = await demoAgents(service.env.DATA_DIR!);
    agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
  });
  afterAll(async () => {
    await service?.dispose();
    await llm?.stop();
  });

  test('the summary is the model’s, grounded in the package; when the model fails the extractive one is shown and says so', async () => {
    llm.reply = { status: 200, content: 'The customer wants a person about a broken speaker; the bot handed off at their request.' };
    const { client, conversationId } = await handedOffCustomer(service.url, 'My speaker arrived broken, I want to talk to a person');
    const first = ConversationDetailSchema.parse((await agent.get(`/conversations/${conversationId}`)).body);
    expect(first.context.summary).toEqual({ text: 'The customer wants a person about a broken speaker; the bot handed off at their request.', source: 'llm', fallback: null });
    const asked = llm.summaryRequests();
    expect(asked).toHaveLength(1);
    expect(asked[0]?.path).toBe('/v1/chat/completions');
    expect(asked[0]?.body.model).toBe('stand-in');
    expect(asked[0]?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    // Grounded in the package: the customer's words and why it was handed off.
    expect(asked[0]?.body.messages?.[1]?.content).toContain('My speaker arrived broken');
    expect(asked[0]?.body.messages?.[1]?.content).toMatch(/"handoff":\{"reason":"[a-z_]+"/);

    // Reloading the unchanged conversation asks the model nothing new.
    await agent.get(`/conversations/${conversationId}`);
    expect(llm.summaryRequests()).toHaveLength(1);

    llm.reply = { status: 500, content: '' };
    await client.say('hello? anyone there?');
    const second = ConversationDetailSchema.parse((await agent.get(`/conversations/${conversationId}`)).body);
    expect(second.context.summary.source).toBe('extractive');
    expect(second.context.summary.text).toContain('The customer wrote: “My speaker arrived broken, I want to talk to a person”');
    expect(second.context.summary.fallback).toMatch(/LLM summary failed; showing the extractive one/);
    // One attempt, no retries.
    expect(llm.summaryRequests()).toHaveLength(2);
  });
});
