import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueSchema } from '../../core/agent-api.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const HOUR = 60 * 60 * 1000;

describe.each(DEPLOYMENTS)('POST /api/agent/conversations/:id/snooze (%s)', (deployment) => {
  let service: TestService;
  let accounts: Awaited<ReturnType<typeof demoAgents>>;
  // The service's clock: moved forward to let a snooze run out, as the hours would.
  let ahead = 0;
  const clock = (): Date => new Date(Date.now() + ahead);

  beforeAll(async () => {
    service = await startTestService(deployment, { ROUTING_AUTO_ASSIGN: 'false' }, { now: clock });
    accounts = await demoAgents(service.env.DATA_DIR!);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const signIn = (who: 'supervisor' | 'returns' | 'technical') => new AgentClient(service.url).login(accounts[who].email, accounts[who].password);
  const queueIds = async (client: AgentClient): Promise<string[]> => QueueSchema.parse((await client.get('/queue')).body).conversations.map((c) => c.id);
  const inAnHour = (): string => new Date(clock().getTime() + HOUR).toISOString();

  test('a snoozed conversation leaves the queue until its time, then comes back by itself', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const sam = await signIn('returns');
    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    const snoozed = await sam.post(`/conversations/${conversationId}/snooze`, { until: inAnHour() });
    expect(snoozed.status).toBe(200);
    // It keeps its holder and status; it is only out of the active list.
    expect(snoozed.body).toMatchObject({ conversationId, status: 'assigned' });
    expect(await queueIds(sam)).not.toContain(conversationId);
    expect(await queueIds(await signIn('supervisor'))).not.toContain(conversationId);
    // Still readable by id: snoozing hides nothing from the people who work it.
    expect((await sam.get(`/conversations/${conversationId}`)).status).toBe(200);

    ahead += 2 * HOUR;
    expect(await queueIds(sam)).toContain(conversationId);
  });

  test('the customer writing again ends the snooze at once', async () => {
    const { client, conversationId } = await handedOffCustomer(service.url);
    const sam = await signIn('returns');
    expect((await sam.post(`/conversations/${conversationId}/snooze`, { until: inAnHour() })).status).toBe(200);
    expect(await queueIds(sam)).not.toContain(conversationId);
    await client.say('are you still there?');
    expect(await queueIds(sam)).toContain(conversationId);
  });

  test.each([
    ['a time in the past', () => ({ until: new Date(clock().getTime() - HOUR).toISOString() }), 'must be later than now'],
    ['more than 30 days ahead', () => ({ until: new Date(clock().getTime() + 31 * 24 * HOUR).toISOString() }), 'must be at most 30 days ahead'],
    ['not a date-time', () => ({ until: 'tomorrow' }), 'must be an ISO date-time'],
    ['no time at all', () => ({}), ''],
  ])('%s is refused with the field named, and nothing changes', async (_name, body, message) => {
    const { conversationId } = await handedOffCustomer(service.url);
    const sam = await signIn('returns');
    const res = await sam.post(`/conversations/${conversationId}/snooze`, body());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [expect.objectContaining({ path: 'body.until', message: expect.stringContaining(message) })] } });
    expect(await queueIds(sam)).toContain(conversationId);
  });

  test("an agent outside the conversation's team cannot snooze it (not found), nor can one who does not hold it (forbidden); nothing is snoozed", async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const supervisor = await signIn('supervisor');
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', reason: 'a return' })).status).toBe(200);
    const alex = await signIn('technical');
    const outside = await alex.post(`/conversations/${conversationId}/snooze`, { until: inAnHour() });
    expect(outside.status).toBe(404);

    const { conversationId: held } = await handedOffCustomer(service.url);
    expect((await supervisor.post(`/conversations/${held}/claim`)).status).toBe(200);
    const sam = await signIn('returns');
    expect((await sam.post(`/conversations/${held}/snooze`, { until: inAnHour() })).status).toBe(403);

    expect(await queueIds(supervisor)).toEqual(expect.arrayContaining([conversationId, held]));
  });

  test('a conversation the bot holds cannot be snoozed', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const sam = await signIn('returns');
    expect((await sam.post(`/conversations/${conversationId}/release`)).status).toBe(200);
    const res = await sam.post(`/conversations/${conversationId}/snooze`, { until: inAnHour() });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { message: 'A conversation that is bot cannot be snoozed' } });
  });
});
