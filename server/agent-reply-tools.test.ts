import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CannedResponsesSchema, ConversationDetailSchema, DraftSchema, RenderedCannedResponsesSchema, SuggestionsSchema } from '../core/agent-api.js';
import { escapeHtml } from '../core/html.js';
import { OutboxMessages } from '../db/outbox-messages.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { ChatClient, textOf } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { DEFAULT_CANNED_RESPONSES_FILE, loadCannedResponses, parseCannedResponses } from './agent/canned-responses.js';

type Who = 'anonymous' | 'technical' | 'returns' | 'supervisor';

async function signedIn(service: TestService): Promise<Record<Who, AgentClient>> {
  const demo = await demoAgents(service.env.DATA_DIR!);
  return {
    anonymous: new AgentClient(service.url),
    technical: await new AgentClient(service.url).login(demo.technical.email, demo.technical.password),
    returns: await new AgentClient(service.url).login(demo.returns.email, demo.returns.password),
    supervisor: await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password),
  };
}

/** A web-chat customer who said `messages` and then asked for a person. */
async function customerWho(service: TestService, ...messages: string[]): Promise<{ client: ChatClient; conversationId: string }> {
  const client = await new ChatClient(service.url).start();
  for (const text of messages) await client.say(text);
  await client.say('talk to a person');
  const { conversationId } = await client.history();
  if (conversationId === null) throw new Error('no conversation');
  return { client, conversationId };
}

/** A customer who proved to be Ada with the emailed code, then asked for a person. */
async function verifiedAda(service: TestService): Promise<string> {
  const outbox = new OutboxMessages(service.database.db);
  const client = await new ChatClient(service.url).start();
  const before = Math.max(0, ...(await outbox.latest(50)).map((m) => m.id));
  expect(textOf(await client.say(`has order ${DEMO_FIXTURES.shippedOrder} shipped?`))).toMatch(/6-digit code/);
  let code: string | undefined;
  await expect
    .poll(async () => {
      const sent = (await outbox.latest(50)).find((m) => m.id > before && m.recipient === DEMO_FIXTURES.email);
      code = sent !== undefined ? /\b(\d{6})\b/.exec(sent.body)?.[1] : undefined;
      return code;
    })
    .toMatch(/^\d{6}$/);
  expect(textOf(await client.say(code!))).toMatch(/Order 100234: Shipped/);
  await client.say('talk to a person');
  return (await client.history()).conversationId!;
}

describe.each(DEPLOYMENTS)('the Reply box tools: canned responses, article suggestions, drafts (%s)', (deployment) => {
  let service: TestService;
  let clients: Record<Who, AgentClient>;
  beforeAll(async () => {
    service = await startTestService(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ROUTING_AUTO_ASSIGN: 'false' });
    clients = await signedIn(service);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test("each agent lists their teams' canned responses and those for every team; supervisors list all", async () => {
    const shortcuts = async (who: Who): Promise<string[]> => {
      const res = await clients[who].get('/canned-responses');
      expect(res.status).toBe(200);
      return CannedResponsesSchema.parse(res.body).responses.map((r) => r.shortcut);
    };
    const technical = await shortcuts('technical');
    expect(technical).toEqual(expect.arrayContaining(['/hi', '/order', '/restart', '/bye']));
    expect(technical).not.toContain('/refund');
    const returns = await shortcuts('returns');
    expect(returns).toEqual(expect.arrayContaining(['/hi', '/refund', '/label']));
    expect(returns).not.toContain('/restart');
    expect(await shortcuts('supervisor')).toEqual(expect.arrayContaining(['/hi', '/order', '/refund', '/label', '/restart', '/bye']));
    expect((await clients.anonymous.get('/canned-responses')).status).toBe(401);
  });

  test('for an unverified customer, customer and order placeholders stay unfilled, even after they typed an order number', async () => {
    const { conversationId } = await customerWho(service, `has ${DEMO_FIXTURES.shippedOrder} shipped yet?`);
    const res = await clients.technical.get(`/conversations/${conversationId}/canned-responses`);
    expect(res.status).toBe(200);
    const byId = new Map(RenderedCannedResponsesSchema.parse(res.body).responses.map((r) => [r.id, r]));
    expect(byId.get('greeting')).toMatchObject({ text: "Hi {{customer.firstName}}, this is Alex from Voltline support. I'm reading through your conversation now.", unfilled: ['customer.firstName'] });
    expect(byId.get('order-status')?.unfilled).toEqual(['order.number', 'order.status']);
    expect(byId.get('order-status')?.text).not.toContain(DEMO_FIXTURES.shippedOrder);
    expect(byId.has('refund')).toBe(false);
  });

  test("for a verified customer, their name and the order they asked about fill the placeholders", async () => {
    const conversationId = await verifiedAda(service);
    expect(ConversationDetailSchema.parse((await clients.supervisor.get(`/conversations/${conversationId}`)).body).verifiedCustomer?.name).toBe(DEMO_FIXTURES.name);
    const res = await clients.supervisor.get(`/conversations/${conversationId}/canned-responses`);
    const byId = new Map(RenderedCannedResponsesSchema.parse(res.body).responses.map((r) => [r.id, r]));
    expect(byId.get('greeting')).toMatchObject({ text: "Hi Ada, this is Morgan from Voltline support. I'm reading through your conversation now.", unfilled: [] });
    expect(byId.get('order-status')).toMatchObject({ text: expect.stringContaining(`Your order ${DEMO_FIXTURES.shippedOrder} is currently shipped.`), unfilled: [] });
  });

  test.each([
    { about: 'a speaker with no sound', said: 'my speaker has no sound at all', article: 'speaker-no-sound-or-wont-connect' },
    { about: 'a return', said: 'how do I return headphones I bought? what is your return policy', article: 'return-policy' },
  ])('suggests help articles for $about, each with its help page and an excerpt', async ({ said, article }) => {
    const { conversationId } = await customerWho(service, said);
    // A supervisor: the handoff policy routes each to its team's queue.
    const res = await clients.supervisor.get(`/conversations/${conversationId}/suggestions`);
    expect(res.status).toBe(200);
    const suggestions = SuggestionsSchema.parse(res.body);
    expect(suggestions.query).toContain(said);
    const found = suggestions.articles.find((a) => a.articleId === article);
    expect(found, JSON.stringify(suggestions.articles.map((a) => a.articleId))).toBeDefined();
    expect(found!.url).toBe(`${service.url}/help/${article}`);
    expect(found!.excerpt.length).toBeGreaterThan(20);
    const page = await fetch(found!.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(escapeHtml(found!.title));
  });

  test('a draft quotes the best article and links it, and nothing reaches the customer until the agent sends', async () => {
    const { client, conversationId } = await customerWho(service, 'my speaker has no sound at all');
    const suggestions = SuggestionsSchema.parse((await clients.technical.get(`/conversations/${conversationId}/suggestions`)).body);
    const best = suggestions.articles[0]!;
    const res = await clients.technical.post(`/conversations/${conversationId}/draft`, {});
    expect(res.status).toBe(200);
    const draft = DraftSchema.parse(res.body);
    expect(draft).toMatchObject({ source: 'articles', notice: null, articles: [{ articleId: best.articleId, url: best.url }] });
    // An unverified customer is greeted without a name: a display name proves nothing.
    expect(draft.text).toMatch(/^Hi there,/);
    expect(draft.text).toContain(best.excerpt);
    expect(draft.text).toContain(best.url);

    const heard = textOf((await client.history()).messages);
    expect(heard).not.toContain(best.excerpt);
    const view = ConversationDetailSchema.parse((await clients.technical.get(`/conversations/${conversationId}`)).body);
    expect(view.transcript.filter((t) => t.author === 'agent')).toEqual([]);
    expect(await service.database.db.selectFrom('outbound_messages').select('seq').where('conversation_id', '=', conversationId).where('seq', '>', Math.max(...view.transcript.map((t) => t.seq))).execute()).toEqual([]);
    expect(view.status).toBe('queued');
  });

  test('the draft body is validated', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const res = await clients.technical.post(`/conversations/${conversationId}/draft`, { tone: 'casual' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION' } });
  });

  describe.each([
    { name: 'canned responses', method: 'GET' as const, path: (id: string) => `/conversations/${id}/canned-responses` },
    { name: 'suggestions', method: 'GET' as const, path: (id: string) => `/conversations/${id}/suggestions` },
    { name: 'draft', method: 'POST' as const, path: (id: string) => `/conversations/${id}/draft`, body: {} },
  ])('$method $name', (route) => {
    test("answers 404 to an agent of another team, as for an unknown id, and 401 to nobody; the team's agent and a supervisor get it", async () => {
      const { conversationId } = await customerWho(service, 'my speaker has no sound at all');
      expect((await clients.supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'technical', reason: 'device question' })).status).toBe(200);
      const other = await clients.returns.call(route.method, route.path(conversationId), route.body);
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ error: { code: 'SB_ERR_NOT_FOUND' } });
      expect(JSON.stringify(other.body)).not.toContain('speaker');
      expect((await clients.returns.call(route.method, route.path('00000000-0000-4000-8000-000000000000'), route.body)).status).toBe(404);
      expect((await clients.anonymous.call(route.method, route.path(conversationId), route.body)).status).toBe(401);
      expect((await clients.technical.call(route.method, route.path(conversationId), route.body)).status).toBe(200);
      expect((await clients.supervisor.call(route.method, route.path(conversationId), route.body)).status).toBe(200);
    });
  });

  test("a draft asked for from another site's page is refused (CSRF)", async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const foreign = clients.technical.on(service.url, 'https://evil.example');
    expect((await foreign.post(`/conversations/${conversationId}/draft`, {})).status).toBe(403);
  });
});

describe('drafts by a language model (OpenAI chat completions on loopback)', () => {
  let standIn: http.Server;
  let service: TestService;
  let clients: Record<Who, AgentClient>;
  let failing = false;
  const drafts: Array<{ path: string; messages: Array<{ role: string; content: string }> }> = [];
  const DRAFTED = 'Sorry about the silent speaker! Please check the volume and the source first.';

  beforeAll(async () => {
    standIn = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(raw || '{}') as { messages?: Array<{ role: string; content: string }> };
        const messages = body.messages ?? [];
        // Only the agent's drafts are scripted; the bot's own generative answers get an error and quote articles.
        const isDraft = messages.some((m) => m.content.includes('You draft the next reply'));
        if (isDraft) drafts.push({ path: req.url ?? '', messages });
        if (!isDraft || failing) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
          return;
        }
        const url = /\((http[^)]+\/help\/[^)]+)\)/.exec(messages.map((m) => m.content).join('\n'))?.[1] ?? '';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1,
            model: 'stand-in',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `${DRAFTED} More help: ${url}` } }],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
      });
    });
    standIn.listen(0, '127.0.0.1');
    await once(standIn, 'listening');
    const base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/v1`;
    service = await startTestService('embedded', { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ROUTING_AUTO_ASSIGN: 'false', LLM_BASE_URL: base, LLM_MODEL: 'stand-in', LLM_API_KEY: 'sk-test' });
    clients = await signedIn(service);
  });
  afterAll(async () => {
    await service?.dispose();
    await new Promise<void>((resolve) => (standIn ? standIn.close(() => resolve()) : resolve()));
  });

  test('the model drafts from the transcript and the suggested articles, never seeing the email the customer typed', async () => {
    failing = false;
    const { conversationId } = await customerWho(service, 'my speaker has no sound at all, I am ada@example.com');
    const res = await clients.technical.post(`/conversations/${conversationId}/draft`, {});
    expect(res.status).toBe(200);
    const draft = DraftSchema.parse(res.body);
    expect(draft.source).toBe('llm');
    expect(draft.text).toContain(DRAFTED);
    expect(draft.articles[0]?.url).toMatch(new RegExp(`^${service.url}/help/`));
    expect(draft.text).toContain(draft.articles[0]!.url);
    const sent = drafts.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    const prompt = sent.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('my speaker has no sound at all');
    expect(prompt).toContain('/help/speaker-no-sound-or-wont-connect');
    expect(prompt).not.toContain('ada@example.com');
    // Drafting sends nothing.
    const view = ConversationDetailSchema.parse((await clients.technical.get(`/conversations/${conversationId}`)).body);
    expect(view.transcript.some((t) => t.text.includes(DRAFTED))).toBe(false);
  });

  test('when the model fails, the draft comes from the articles and says so', async () => {
    failing = true;
    const { conversationId } = await customerWho(service, 'my speaker has no sound at all');
    const draft = DraftSchema.parse((await clients.technical.post(`/conversations/${conversationId}/draft`, {})).body);
    expect(draft.source).toBe('articles');
    expect(draft.notice).toMatch(/language model did not answer/);
    expect(draft.text).toContain(draft.articles[0]!.url);
    expect(draft.text).not.toContain(DRAFTED);
  });
});

describe('the canned responses file', () => {
  test('the shipped file is valid', async () => {
    expect((await loadCannedResponses(DEFAULT_CANNED_RESPONSES_FILE)).all.length).toBeGreaterThan(3);
  });

  test.each([
    { problem: 'an unknown placeholder', yaml: 'responses:\n  - { id: a, title: A, shortcut: /a, text: "Hi {{customer.nickname}}" }', names: /responses\[0\]\.text.*\{\{customer\.nickname\}\}/ },
    { problem: 'a shortcut without "/"', yaml: 'responses:\n  - { id: a, title: A, shortcut: refund, text: Hi }', names: /responses\[0\]\.shortcut/ },
    { problem: 'a repeated shortcut', yaml: 'responses:\n  - { id: a, title: A, shortcut: /a, text: Hi }\n  - { id: b, title: B, shortcut: /a, text: Hello }', names: /responses\[1\]\.shortcut/ },
    { problem: 'a bad team name', yaml: 'responses:\n  - { id: a, title: A, shortcut: /a, teams: ["Tier 2"], text: Hi }', names: /responses\[0\]\.teams\[0\]/ },
  ])('with $problem is an SB_ERR_CONFIG naming the entry', ({ yaml, names }) => {
    expect(() => parseCannedResponses(yaml, '/etc/canned.yaml')).toThrow(expect.objectContaining({ code: 'SB_ERR_CONFIG', message: expect.stringMatching(names) }));
  });

  test('a service given an invalid CANNED_RESPONSES_FILE does not start, and says which entry to fix', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sb-canned-'));
    try {
      const file = path.join(dir, 'canned.yaml');
      await writeFile(file, 'responses:\n  - { id: a, title: A, shortcut: /a, text: "{{order.total}}" }\n');
      await expect(startTestService('embedded', { CANNED_RESPONSES_FILE: file })).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringMatching(new RegExp(`${file}.*responses\\[0\\]\\.text`)) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
