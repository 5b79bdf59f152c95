import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActionResultSchema, AgentsPresenceSchema, PresenceSchema } from '../../core/agent-api.js';
import { ConversationRepository } from '../../db/conversations.js';
import { startRouting, type RoutingService } from '../../handoff/routing-service.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';
import { openApiDocument } from '../openapi/document.js';

describe.each(DEPLOYMENTS)('presence, heartbeats and offers over /api/agent (%s)', (deployment) => {
  let service: TestService;
  let routing: RoutingService;
  let sam: AgentClient;
  let alex: AgentClient;
  let supervisor: AgentClient;
  let samId: string;

  beforeAll(async () => {
    service = await startTestService(deployment, { ROUTING_AUTO_ASSIGN: 'false' });
    // Auto-assignment with a long offer timeout: these offers end by the agent's answer, not the clock.
    routing = await startRouting({
      db: service.database.db,
      writes: service.agentActions.writes,
      locks: service.state.locks,
      jobs: service.jobs,
      subscribe: (handler) => service.liveFeed.subscribe(handler),
      autoAssign: true,
      offerTimeoutMs: 5 * 60_000,
      awayAfterMs: 5 * 60_000,
      sweepIntervalMs: 300,
      log: { warn: () => undefined },
    });
    const demo = await demoAgents(service.env.DATA_DIR!);
    sam = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
    alex = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    samId = ((await sam.get('/session')).body as { agent: { id: string } }).agent.id;
    // Alex steps away: only Sam takes offers here.
    expect((await alex.post('/presence', { status: 'away' })).status).toBe(200);
  });
  afterAll(async () => {
    await routing?.stop();
    await service?.dispose();
  });

  const presenceOf = async (client: AgentClient) => PresenceSchema.parse((await client.get('/presence')).body);

  test('signing in is coming online; away and back only with a valid status; a heartbeat keeps them there', async () => {
    expect(await presenceOf(sam)).toMatchObject({ status: 'online', chosen: 'online', capacity: 2, load: 0, offers: [] });
    expect(PresenceSchema.parse((await sam.post('/presence', { status: 'away' })).body)).toMatchObject({ status: 'away', chosen: 'away' });
    const refused = await sam.post('/presence', { status: 'busy' });
    expect(refused.status).toBe(400);
    expect(await presenceOf(sam)).toMatchObject({ status: 'away' });
    // No Origin: a cross-site page cannot set anyone's presence.
    expect((await sam.on(service.url, null).post('/presence', { status: 'online' })).status).toBe(403);
    expect(await presenceOf(sam)).toMatchObject({ status: 'away' });
    // Away: nothing is offered to them.
    const { conversationId } = await handedOffCustomer(service.url);
    await routing.routing!.round();
    expect((await presenceOf(sam)).offers).toEqual([]);
    expect((await service.agentActions.resolve(conversationId, 'test')).status).toBe('resolved');

    const online = await sam.post('/presence', { status: 'online' });
    expect(online.status).toBe(200);
    expect(PresenceSchema.parse(online.body)).toMatchObject({ status: 'online', chosen: 'online' });
    const beat = await sam.post('/heartbeat');
    expect(beat.status).toBe(200);
    expect(PresenceSchema.parse(beat.body).status).toBe('online');
  });

  test('routing offers a handoff to the online agent; declined, it is offered again; accepted, they hold it; another agent cannot accept it', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    await expect.poll(async () => (await presenceOf(sam)).offers.map((o) => o.conversationId), { timeout: 15_000 }).toEqual([conversationId]);
    // Alex is offline: nothing is offered to him, and he cannot take Sam's offer.
    expect((await presenceOf(alex)).offers).toEqual([]);
    expect((await alex.post(`/conversations/${conversationId}/accept`)).status).toBe(409);

    const declined = await sam.post(`/conversations/${conversationId}/decline`);
    expect(declined.status).toBe(200);
    expect(ActionResultSchema.parse(declined.body)).toMatchObject({ status: 'queued', assigneeId: null });
    // Sam is the only one online: it comes back to him.
    await expect.poll(async () => (await presenceOf(sam)).offers.length, { timeout: 15_000 }).toBe(1);
    const accepted = await sam.post(`/conversations/${conversationId}/accept`);
    expect(accepted.status).toBe(200);
    expect(ActionResultSchema.parse(accepted.body)).toMatchObject({ status: 'assigned', assigneeId: samId });
    expect((await sam.post(`/conversations/${conversationId}/accept`)).status).toBe(409);
    expect(await presenceOf(sam)).toMatchObject({ load: 1, offers: [] });

    const types = (await new ConversationRepository(service.database.db).loadEvents(conversationId)).map((e) => e.event.type);
    expect(types.filter((t) => t === 'offered')).toHaveLength(2);
    expect(types).toContain('offer_declined');
    expect(types.filter((t) => t === 'assignee_changed')).toHaveLength(1);
  });

  test("supervisors see every agent's presence and load and set capacity; agents may not; signing out is going offline", async () => {
    expect((await sam.get('/agents')).status).toBe(403);
    expect((await sam.post(`/agents/${samId}/routing`, { capacity: 5 })).status).toBe(403);
    const view = AgentsPresenceSchema.parse((await supervisor.get('/agents')).body);
    expect(view.agents.find((a) => a.id === samId)).toMatchObject({ status: 'online', load: 1, capacity: 2 });

    expect((await supervisor.post(`/agents/${samId}/routing`, { capacity: 3, skills: ['vip', 'Incident'] })).status).toBe(204);
    expect((await supervisor.post(`/agents/${samId}/routing`, { capacity: 99 })).status).toBe(400);
    expect((await supervisor.post('/agents/nobody/routing', { capacity: 1 })).status).toBe(404);
    expect(await presenceOf(sam)).toMatchObject({ capacity: 3, skills: ['incident', 'vip'] });

    expect((await sam.post('/logout')).status).toBe(204);
    const after = AgentsPresenceSchema.parse((await supervisor.get('/agents')).body);
    expect(after.agents.find((a) => a.id === samId)).toMatchObject({ status: 'offline' });
  });

  test('escalation: a transfer to a person hands it to them with the level and why; to someone outside its queue, or to both a team and a person, nothing is stored', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const alexId = ((await alex.get('/session')).body as { agent: { id: string } }).agent.id;
    const repo = new ConversationRepository(service.database.db);
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', agentId: alexId, reason: 'both' })).status).toBe(400);
    const escalated = await supervisor.post(`/conversations/${conversationId}/transfer`, { agentId: alexId, reason: 'needs a senior', level: 'senior' });
    expect(escalated.status).toBe(200);
    expect(ActionResultSchema.parse(escalated.body)).toMatchObject({ status: 'assigned', assigneeId: alexId });
    const transferred = (await repo.loadEvents(conversationId)).flatMap((e) => (e.event.type === 'transferred' ? [e.event] : []));
    expect(transferred).toEqual([expect.objectContaining({ toAgentId: alexId, level: 'senior', reason: 'needs a senior', team: null })]);

    // Into the returns queue (Alex works technical), then to Alex: refused under the lock, nothing stored.
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', reason: 'a return after all', level: 'team_lead' })).status).toBe(200);
    const before = await repo.loadEvents(conversationId);
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { agentId: alexId, reason: 'back to Alex' })).status).toBe(409);
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { agentId: 'nobody', reason: 'x' })).status).toBe(404);
    expect(await repo.loadEvents(conversationId)).toEqual(before);
  });
});

test('the presence, offer and supervisor routes are documented in /openapi.json', () => {
  const spec = openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
  for (const [path, method] of [
    ['/api/agent/presence', 'get'],
    ['/api/agent/presence', 'post'],
    ['/api/agent/heartbeat', 'post'],
    ['/api/agent/agents', 'get'],
    ['/api/agent/agents/{id}/routing', 'post'],
    ['/api/agent/conversations/{id}/accept', 'post'],
    ['/api/agent/conversations/{id}/decline', 'post'],
  ] as const) {
    expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  }
});
