import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationDetailSchema, FollowUpSchema } from '../core/agent-api.js';
import { ConversationRepository } from '../db/conversations.js';
import { AgentClient, demoAgents, handedOffCustomer, openAgentSocket } from '../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(DEPLOYMENTS)('after the conversation: episode timings and follow-up reminders (%s)', (deployment) => {
  let service: TestService;
  // The service's clock, moved back to stage an episode that took half an hour.
  let offsetMs = 0;
  const clock = (): Date => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    service = await startTestService(deployment, {}, { now: clock });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const repo = (): ConversationRepository => new ConversationRepository(service.database.db);
  const signIn = async (who: 'supervisor' | 'returns' | 'technical'): Promise<AgentClient> => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    return new AgentClient(service.url).login(demo[who].email, demo[who].password);
  };
  async function at<T>(minutesAgo: number, run: () => Promise<T>): Promise<T> {
    offsetMs = -minutesAgo * MINUTE;
    try {
      return await run();
    } finally {
      offsetMs = 0;
    }
  }

  /** Handed off 30 minutes ago into the returns team, claimed at 20, answered at 10, resolved now by the returns agent. */
  async function resolvedReturn(): Promise<{ id: string; agent: AgentClient }> {
    const { conversationId: id } = await at(30, () => handedOffCustomer(service.url));
    const supervisor = await signIn('supervisor');
    expect((await at(25, () => supervisor.post(`/conversations/${id}/transfer`, { team: 'returns', reason: 'a return' }))).status).toBe(200);
    const agent = await signIn('returns');
    expect((await at(20, () => agent.post(`/conversations/${id}/claim`))).status).toBe(200);
    expect((await at(10, () => agent.post(`/conversations/${id}/messages`, { text: 'I can help with that return.' }))).status).toBe(200);
    expect((await agent.post(`/conversations/${id}/resolve`, { disposition: 'solved' })).status).toBe(200);
    return { id, agent };
  }

  test('a resolved episode records its timings, shown in the conversation: first response, handle time and resolution', async () => {
    const { id, agent } = await resolvedReturn();
    const detail = ConversationDetailSchema.parse((await agent.get(`/conversations/${id}`)).body);
    expect(detail.episodes).toHaveLength(1);
    const [episode] = detail.episodes;
    expect(episode).toMatchObject({ outcome: 'resolved', firstResponseMs: expect.any(Number), handleTimeMs: expect.any(Number) });
    // Handoff → answer (≈20 min) and claim → resolve (≈20 min) are each within handoff → resolve (≈30 min).
    expect(episode!.firstResponseMs!).toBeGreaterThanOrEqual(19 * MINUTE);
    expect(episode!.handleTimeMs!).toBeGreaterThanOrEqual(19 * MINUTE);
    expect(episode!.resolutionMs).toBeGreaterThanOrEqual(29 * MINUTE);
    expect(episode!.firstResponseMs!).toBeLessThan(episode!.resolutionMs);
    expect(episode!.handleTimeMs!).toBeLessThan(episode!.resolutionMs);
    // The same numbers are in the log for analytics.
    const timed = (await repo().loadEvents(id)).filter((e) => e.event.type === 'episode_timed');
    expect(timed.map((e) => e.seq)).toEqual([episode!.seq]);
  });

  test('handed back to the bot without an answer: timed with no first response', async () => {
    const { conversationId: id } = await at(5, () => handedOffCustomer(service.url));
    const supervisor = await signIn('supervisor');
    expect((await supervisor.post(`/conversations/${id}/release`)).status).toBe(200);
    const detail = ConversationDetailSchema.parse((await supervisor.get(`/conversations/${id}`)).body);
    expect(detail.episodes).toEqual([expect.objectContaining({ outcome: 'returned_to_bot', firstResponseMs: null, handleTimeMs: null })]);
    expect(detail.episodes[0]!.resolutionMs).toBeGreaterThanOrEqual(4 * MINUTE);
  });

  test('a follow-up that falls due reopens the resolved conversation into its team queue with the note, once', async () => {
    const { id, agent } = await resolvedReturn();
    const res = await agent.post(`/conversations/${id}/follow-up`, { at: new Date(Date.now() + 2_000).toISOString(), note: 'Check the refund went through' });
    expect(res.status).toBe(200);
    const followUp = FollowUpSchema.parse(res.body);
    // The durable job runs when due: back in the returns queue, with the note and the marker.
    await expect.poll(async () => (await repo().projection(id))?.status, { timeout: 30_000, interval: 250 }).toBe('queued');
    expect((await repo().projection(id))?.team).toBe('returns');
    const log = (await repo().loadEvents(id)).map((e) => e.event);
    expect(log).toContainEqual(expect.objectContaining({ type: 'note_added', text: 'Follow-up: Check the refund went through' }));
    expect(log.filter((e) => e.type === 'follow_up_due')).toEqual([expect.objectContaining({ followUpId: followUp.id, reopened: true })]);
    const queue = (await agent.get('/queue')).body as { conversations: Array<{ id: string }> };
    expect(queue.conversations.map((c) => c.id)).toContain(id);
    // Run again (a retried job): nothing more is recorded.
    expect(await service.followUps.due(id, followUp.id)).toEqual({ kind: 'nothing', why: 'already_recorded' });
    expect((await repo().loadEvents(id)).filter((e) => e.event.type === 'follow_up_due')).toHaveLength(1);
  });

  test('on an open conversation the due follow-up adds the note and rings the holder; a cancelled one does nothing', async () => {
    const { conversationId: id } = await handedOffCustomer(service.url);
    const agent = await signIn('supervisor');
    expect((await agent.post(`/conversations/${id}/claim`)).status).toBe(200);
    const socket = await openAgentSocket(agent);
    const set = FollowUpSchema.parse((await agent.post(`/conversations/${id}/follow-up`, { at: new Date(Date.now() + DAY).toISOString(), note: 'Call back' })).body);
    expect(await service.followUps.due(id, set.id)).toMatchObject({ kind: 'not_due' });
    const notified = await service.followUps.due(id, set.id, new Date(Date.now() + DAY + MINUTE));
    expect(notified).toMatchObject({ kind: 'notified', assigneeId: expect.any(String) });
    expect((await repo().projection(id))?.status).toBe('assigned');
    // The holder's console is rung through the live feed.
    await expect.poll(() => socket.frames.some((f) => f.conversationId === id && f.eventType === 'follow_up_due'), { timeout: 10_000 }).toBe(true);
    socket.close();

    const later = FollowUpSchema.parse((await agent.post(`/conversations/${id}/follow-up`, { at: new Date(Date.now() + DAY).toISOString(), note: 'Second' })).body);
    expect((await agent.call('DELETE', `/conversations/${id}/follow-up`)).status).toBe(204);
    expect((await agent.call('DELETE', `/conversations/${id}/follow-up`)).status).toBe(409);
    expect(await service.followUps.due(id, later.id, new Date(Date.now() + DAY + MINUTE))).toEqual({ kind: 'nothing', why: 'cancelled' });
    expect((await repo().loadEvents(id)).filter((e) => e.event.type === 'follow_up_due')).toHaveLength(1);
  });

  test.each([
    ['in the past', () => new Date(Date.now() - MINUTE).toISOString(), 'later than now'],
    ['more than 90 days ahead', () => new Date(Date.now() + 91 * DAY).toISOString(), '90 days'],
    ['not a date-time', () => 'tomorrow', ''],
  ])('a follow-up %s is refused with 400 naming body.at; nothing is scheduled', async (_name, when, message) => {
    const { id, agent } = await resolvedReturn();
    const res = await agent.post(`/conversations/${id}/follow-up`, { at: when(), note: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [expect.objectContaining({ path: 'body.at', message: expect.stringContaining(message) })] } });
    expect((await repo().loadEvents(id)).some((e) => e.event.type === 'follow_up_set')).toBe(false);
  });

  test("an agent of another team cannot set or cancel a follow-up (not found, as an unknown id); nothing is stored", async () => {
    const { id } = await resolvedReturn();
    const alex = await signIn('technical');
    const res = await alex.post(`/conversations/${id}/follow-up`, { at: new Date(Date.now() + DAY).toISOString(), note: 'not mine' });
    expect(res.status).toBe(404);
    expect((await alex.call('DELETE', `/conversations/${id}/follow-up`)).status).toBe(404);
    expect((await repo().loadEvents(id)).some((e) => e.event.type === 'follow_up_set')).toBe(false);
  });
});
