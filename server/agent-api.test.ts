import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AGENT_SESSION_COOKIE, ConversationDetailSchema, QueueSchema } from '../core/agent-api.js';
import { ConversationRepository } from '../db/conversations.js';
import { AgentClient, demoAgents, handedOffCustomer, openAgentSocket } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { ApiContract } from '../test/openapi-validate.js';
import { DEPLOYMENTS } from '../test/service.js';
import { UserRepository } from '../db/users.js';
import { hashPassword } from './agent/passwords.js';
import { openApiDocument } from './openapi/document.js';

type Who = 'anonymous' | 'other team' | 'agent' | 'supervisor';

/** Every conversation route: how to call it, and what it answers when allowed. */
const ROUTES: ReadonlyArray<{ name: string; method: 'GET' | 'POST'; path: (id: string) => string; body?: unknown; ok: number }> = [
  { name: 'view', method: 'GET', path: (id) => `/conversations/${id}`, ok: 200 },
  { name: 'claim', method: 'POST', path: (id) => `/conversations/${id}/claim`, ok: 200 },
  { name: 'reply', method: 'POST', path: (id) => `/conversations/${id}/messages`, body: { text: 'Hello, this is support.' }, ok: 200 },
  { name: 'note', method: 'POST', path: (id) => `/conversations/${id}/notes`, body: { text: 'Customer sounds upset.' }, ok: 200 },
  { name: 'resolve', method: 'POST', path: (id) => `/conversations/${id}/resolve`, body: { disposition: 'solved' }, ok: 200 },
  { name: 'release', method: 'POST', path: (id) => `/conversations/${id}/release`, ok: 200 },
  { name: 'transfer', method: 'POST', path: (id) => `/conversations/${id}/transfer`, body: { team: 'returns', reason: 'about a return' }, ok: 200 },
];

const REFUSED: Record<Exclude<Who, 'agent' | 'supervisor'>, { status: number; code: string }> = {
  anonymous: { status: 401, code: 'SB_ERR_UNAUTHENTICATED' },
  // Outside the agent's queues the conversation does not exist for them, as for an unknown id.
  'other team': { status: 404, code: 'SB_ERR_NOT_FOUND' },
};

describe.each(DEPLOYMENTS)('the agent API (%s)', (deployment) => {
  let pair: InstancePair;
  let clients: Record<Who, AgentClient>;
  let repo: ConversationRepository;

  beforeAll(async () => {
    // Offers are routing's (handoff/routing.test.ts): here an automatic one would be a write the matrix did not make.
    pair = await startInstancePair(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ROUTING_AUTO_ASSIGN: 'false' });
    repo = new ConversationRepository(pair.a.database.db);
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    await new UserRepository(pair.a.database.db).create({
      email: 'editor@voltline.example',
      name: 'Eddie',
      role: 'editor',
      teams: [],
      passwordHash: await hashPassword('an-editor-password-1'),
    });
    // Every exchange below (sign-in, queue, conversation, each action, refused or allowed) is held to /openapi.json.
    const contract = await ApiContract.of(pair.a.url);
    const client = (url: string): AgentClient => Object.assign(new AgentClient(url), { contract });
    // Signed in on instance A, working on instance B: the session is the state backend's.
    clients = {
      anonymous: client(pair.b.url),
      'other team': (await client(pair.a.url).login(demo.returns.email, demo.returns.password)).on(pair.b.url),
      agent: (await client(pair.a.url).login(demo.technical.email, demo.technical.password)).on(pair.b.url),
      supervisor: (await client(pair.a.url).login(demo.supervisor.email, demo.supervisor.password)).on(pair.b.url),
    };
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  /** A customer's handed-off conversation, moved by the supervisor into the technical team's queue. */
  async function technicalConversation(): Promise<string> {
    const { conversationId } = await handedOffCustomer(pair.a.url);
    const moved = await clients.supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'technical', reason: 'device question' });
    expect(moved.status).toBe(200);
    return conversationId;
  }

  test('an editor cannot sign in to the console; the others get an HttpOnly SameSite=Strict session cookie', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const editor = new AgentClient(pair.a.url);
    const refused = await editor.post('/login', { email: 'editor@voltline.example', password: 'an-editor-password-1' });
    expect(refused.status).toBe(403);
    expect(editor.cookie).toBeNull();

    const res = await new AgentClient(pair.a.url).post('/login', { email: demo.technical.email.toUpperCase(), password: demo.technical.password });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${AGENT_SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(res.body).toMatchObject({ agent: { email: demo.technical.email, role: 'agent', teams: ['technical'] } });
  });

  test('the queue lists handed-off conversations with channel, customer, reason and waiting time, only from the agent’s teams', async () => {
    const unrouted = (await handedOffCustomer(pair.a.url)).conversationId;
    const technical = await technicalConversation();
    const ids = async (who: Who): Promise<string[]> => {
      const res = await clients[who].get('/queue');
      expect(res.status).toBe(200);
      return QueueSchema.parse(res.body).conversations.map((c) => c.id);
    };
    expect(await ids('agent')).toEqual(expect.arrayContaining([unrouted, technical]));
    expect(await ids('supervisor')).toEqual(expect.arrayContaining([unrouted, technical]));
    const otherTeam = await ids('other team');
    expect(otherTeam).toContain(unrouted);
    expect(otherTeam).not.toContain(technical);
    expect((await clients.anonymous.get('/queue')).status).toBe(401);

    const entry = QueueSchema.parse((await clients.agent.get('/queue')).body).conversations.find((c) => c.id === unrouted)!;
    expect(entry).toMatchObject({ channel: 'webchat', customer: 'Visitor', reason: 'customer_asked', status: 'queued', team: null, waitingSince: expect.any(String) });
  });

  describe.each(ROUTES)('$method $name', (route) => {
    test.each(['anonymous', 'other team'] as const)('is refused for %s, and nothing is stored', async (who) => {
      const id = await technicalConversation();
      const before = await repo.loadEvents(id);
      const res = await clients[who].call(route.method, route.path(id), route.body);
      expect(res.status).toBe(REFUSED[who].status);
      expect(res.body).toMatchObject({ error: { code: REFUSED[who].code } });
      expect(await repo.loadEvents(id)).toEqual(before);
    });

    test.each(['agent', 'supervisor'] as const)('is allowed for %s', async (who) => {
      const id = await technicalConversation();
      const res = await clients[who].call(route.method, route.path(id), route.body);
      expect(res.status).toBe(route.ok);
    });
  });

  test('an agent cannot resolve, release or transfer a conversation another agent holds; a supervisor can', async () => {
    const id = await technicalConversation();
    expect((await clients.supervisor.post(`/conversations/${id}/claim`)).status).toBe(200);
    const held = await repo.loadEvents(id);
    for (const action of ['resolve', 'release', 'transfer'] as const) {
      const body = action === 'resolve' ? { disposition: 'solved' } : action === 'transfer' ? { team: 'returns', reason: 'x' } : {};
      const res = await clients.agent.post(`/conversations/${id}/${action}`, body);
      expect(res.status, action).toBe(403);
    }
    const reply = await clients.agent.post(`/conversations/${id}/messages`, { text: 'I will take it' });
    expect(reply.status).toBe(409);
    expect(await repo.loadEvents(id)).toEqual(held);
  });

  test('two agents claiming on two instances at once: exactly one gets the conversation', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    for (let round = 0; round < 5; round += 1) {
      const { conversationId } = await handedOffCustomer(pair.a.url);
      const onA = await new AgentClient(pair.a.url).login(demo.technical.email, demo.technical.password);
      const onB = await new AgentClient(pair.b.url).login(demo.returns.email, demo.returns.password);
      const results = await Promise.all([onA.post(`/conversations/${conversationId}/claim`), onB.post(`/conversations/${conversationId}/claim`)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body as { assigneeId: string };
      const events = await repo.loadEvents(conversationId);
      expect(events.filter((e) => e.event.type === 'assignee_changed')).toHaveLength(1);
      expect((await repo.projection(conversationId))?.assigneeId).toBe(winner.assigneeId);
    }
  });

  test("a reply reaches the customer's widget, a note never does, and the conversation view shows both with what the bot understood", async () => {
    const { client, conversationId } = await handedOffCustomer(pair.a.url, 'I want to speak to a human please');
    expect((await clients.agent.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    const noted = await clients.agent.post(`/conversations/${conversationId}/notes`, { text: 'internal: check the warranty' });
    expect(noted.status).toBe(200);
    const replied = await clients.agent.post(`/conversations/${conversationId}/messages`, { text: 'Hi, this is Alex.' });
    expect(replied.status).toBe(200);
    // Only the reply becomes an outbound message; the note has no row to be sent.
    const noteSeq = (noted.body as { seqs: number[] }).seqs[0]!;
    const replySeq = (replied.body as { seqs: number[] }).seqs.at(-1)!;
    const outboundSeqs = async (): Promise<number[]> =>
      (await pair.a.database.db.selectFrom('outbound_messages').select('seq').where('conversation_id', '=', conversationId).execute()).map((r) => r.seq);
    await expect.poll(outboundSeqs).toContain(replySeq);
    expect(await outboundSeqs()).not.toContain(noteSeq);
    await client.say('thanks Alex');
    await expect.poll(async () => (await client.history()).messages.map((m) => (m.message.kind === 'text' ? m.message.text : ''))).toContain('Hi, this is Alex.');
    const seen = JSON.stringify((await client.history()).messages);
    expect(seen).not.toContain('internal: check the warranty');

    const view = ConversationDetailSchema.parse((await clients.agent.get(`/conversations/${conversationId}`)).body);
    expect(view.transcript.map((t) => [t.author, t.text])).toEqual(
      expect.arrayContaining([
        ['customer', 'I want to speak to a human please'],
        ['agent', 'Hi, this is Alex.'],
        ['customer', 'thanks Alex'],
      ]),
    );
    expect(view.transcript.find((t) => t.author === 'agent')?.authorName).toBe('Alex');
    expect(view.notes).toEqual([expect.objectContaining({ text: 'internal: check the warranty', authorName: 'Alex' })]);
    expect(view.understanding[0]).toMatchObject({ intent: expect.any(String), sentiment: { score: expect.any(Number) } });
    expect(view).toMatchObject({ status: 'assigned', assigneeName: 'Alex', reason: 'customer_asked', verifiedCustomer: null });
  });

  test("an unverified customer's conversation shows no profile or orders, even when they typed someone's order number", async () => {
    const { client, conversationId } = await handedOffCustomer(pair.a.url, 'has 100234 shipped yet?');
    await client.say('talk to a person');
    const view = ConversationDetailSchema.parse((await clients.supervisor.get(`/conversations/${conversationId}`)).body);
    expect(view.verifiedCustomer).toBeNull();
    expect(view.customer).toBe('Visitor');
    expect(JSON.stringify(view)).not.toMatch(/Ada|Lovelace|ada@example\.com/);
  });

  test('bodies are validated and errors come in the envelope', async () => {
    const id = await technicalConversation();
    const cases = [
      { path: `/conversations/${id}/messages`, body: { text: '   ' } },
      { path: `/conversations/${id}/messages`, body: { txt: 'hi' } },
      { path: `/conversations/${id}/resolve`, body: { disposition: 'whatever' } },
      { path: `/conversations/${id}/transfer`, body: { team: 'Not A Team!', reason: 'x' } },
      { path: '/login', body: { email: 'x@example.com' } },
    ];
    for (const c of cases) {
      const res = await clients.agent.post(c.path, c.body);
      expect(res.status, c.path).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: expect.any(Array) } });
    }
    expect((await clients.agent.get('/conversations/not-a-uuid')).status).toBe(404);
    expect((await clients.agent.get('/conversations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  test("the socket rings for every event of the agent's queues, from the other instance, and stays silent about other teams' conversations", async () => {
    const onB = { agent: await openAgentSocket(clients.agent), otherTeam: await openAgentSocket(clients['other team']) };
    const id = await technicalConversation();
    // Written on instance A (customer and supervisor); the sockets are on B.
    const noted = await clients.supervisor.on(pair.a.url).post(`/conversations/${id}/notes`, { text: 'heads up' });
    const noteSeq = (noted.body as { seqs: number[] }).seqs[0];
    await expect.poll(() => onB.agent.frames.some((f) => f.conversationId === id && f.seq === noteSeq && f.eventType === 'note_added')).toBe(true);
    expect(onB.otherTeam.frames.filter((f) => f.conversationId === id && (f.seq ?? -1) >= noteSeq!)).toEqual([]);
    onB.agent.close();
    onB.otherTeam.close();
  });

  test('signing out ends the session on every instance', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const client = await new AgentClient(pair.a.url).login(demo.technical.email, demo.technical.password);
    const cookie = client.cookie;
    expect((await client.get('/queue')).status).toBe(200);
    expect((await client.post('/logout')).status).toBe(204);
    const stale = new AgentClient(pair.b.url);
    stale.cookie = cookie;
    expect(cookie).not.toBeNull();
    expect((await stale.get('/queue')).status).toBe(401);
  });
});

test('every agent route is documented in /openapi.json', () => {
  const spec = openApiDocument();
  const documented = (path: string, method: string): boolean => (spec.paths?.[path] as Record<string, unknown> | undefined)?.[method.toLowerCase()] !== undefined;
  for (const route of ROUTES) expect(documented(`/api/agent${route.path('{id}')}`, route.method), route.name).toBe(true);
  for (const [path, method] of [['/api/agent/login', 'post'], ['/api/agent/logout', 'post'], ['/api/agent/session', 'get'], ['/api/agent/queue', 'get'], ['/api/agent/socket', 'get'], ['/agent', 'get']] as const) {
    expect(documented(path, method), path).toBe(true);
  }
});
