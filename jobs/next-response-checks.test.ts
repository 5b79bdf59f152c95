import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueSchema } from '../core/agent-api.js';
import { ConversationRepository } from '../db/conversations.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import type { ChatClient } from '../test/chat-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../test/service.js';
import type { NextResponseCheckData } from './next-response-job.js';

const MINUTE = 60_000;
/** The shipped policy's next-response target (handoff/policy.yaml defaults). */
const TARGET_MINUTES = 10;

describe.each(DEPLOYMENTS)('next-response SLA: each customer message a person holds is a durable deadline (%s)', (deployment) => {
  let service: TestService;
  // The service's clock: a message "some minutes ago" has its deadline already past.
  let offsetMs = 0;
  const clock = (): Date => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    service = await startTestService(deployment, {}, { now: clock });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const repo = (): ConversationRepository => new ConversationRepository(service.database.db);
  const breaches = async (id: string) => (await repo().loadEvents(id)).flatMap((e) => (e.event.type === 'sla_breached' && e.event.kind === 'next_response' ? [e.event] : []));
  const lastCustomerSeq = async (id: string): Promise<number> => (await repo().loadEvents(id)).findLast((e) => e.event.type === 'user_said')!.seq;

  /** A handed-off customer whom the supervisor took and answered; the customer writes again `minutesAgo` minutes ago. */
  async function heldAndWrittenAgo(minutesAgo: number): Promise<{ id: string; agent: AgentClient; client: ChatClient }> {
    const { client, conversationId: id } = await handedOffCustomer(service.url);
    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    offsetMs = -minutesAgo * MINUTE - MINUTE;
    try {
      expect((await agent.post(`/conversations/${id}/messages`, { text: 'Hi, I am here.' })).status).toBe(200);
      offsetMs = -minutesAgo * MINUTE;
      await client.say('My parcel still has not arrived, what now?');
    } finally {
      offsetMs = 0;
    }
    return { id, agent, client };
  }

  test('a message nobody answered in time is recorded once, raises the priority, and checks run again record nothing', async () => {
    const { id } = await heldAndWrittenAgo(TARGET_MINUTES + 5);
    const before = (await repo().projection(id))!.priority;
    await expect.poll(() => breaches(id), { timeout: 30_000, interval: 250 }).toHaveLength(1);
    const messageSeq = await lastCustomerSeq(id);
    expect((await breaches(id))[0]).toMatchObject({ kind: 'next_response', messageSeq, priority: before + 1 });
    expect((await repo().projection(id))?.priority).toBe(before + 1);
    // The job again, twice at once (a retry racing a duplicate): the log decides, under the lock.
    const data: NextResponseCheckData = { conversationId: id, messageSeq, dueAt: (await breaches(id))[0]!.dueAt };
    const again = await Promise.all([service.nextResponseChecks.check(data), service.nextResponseChecks.check(data)]);
    expect(again).toEqual([
      { kind: 'nothing', why: 'already_recorded' },
      { kind: 'nothing', why: 'already_recorded' },
    ]);
    expect(await breaches(id)).toHaveLength(1);
    expect((await repo().projection(id))?.priority).toBe(before + 1);
  });

  test('a deadline that falls due while the service is down is recorded once after the restart', async () => {
    // Due in a few seconds: the service stops before it runs, and starts again after.
    const { id } = await heldAndWrittenAgo(TARGET_MINUTES - 4 / 60);
    expect(await breaches(id)).toEqual([]);
    await service.close();
    await sleep(5_000);
    const restartedAt = Date.now();
    service = await restartTestService(service, { now: clock });
    await expect.poll(() => breaches(id), { timeout: 40_000, interval: 250 }).toHaveLength(1);
    expect(Date.parse((await breaches(id))[0]!.at)).toBeGreaterThanOrEqual(restartedAt);
    const messageSeq = await lastCustomerSeq(id);
    expect(await service.nextResponseChecks.check({ conversationId: id, messageSeq, dueAt: (await breaches(id))[0]!.dueAt })).toEqual({ kind: 'nothing', why: 'already_recorded' });
    expect(await breaches(id)).toHaveLength(1);
  });

  test('an agent who answers in time meets the next response: no breach, even checked after the deadline', async () => {
    const { id, agent } = await heldAndWrittenAgo(1);
    const messageSeq = await lastCustomerSeq(id);
    // The queue shows when the answer is due: the message's time plus the target.
    const message = (await repo().loadEvents(id)).find((e) => e.seq === messageSeq)!.event;
    const slaOf = async () => QueueSchema.parse((await agent.get('/queue')).body).conversations.find((c) => c.id === id)?.sla;
    expect((await slaOf())?.nextResponseDueAt).toBe(new Date(Date.parse(message.at) + TARGET_MINUTES * MINUTE).toISOString());
    expect((await agent.post(`/conversations/${id}/messages`, { text: 'Let me look that up.' })).status).toBe(200);
    expect((await slaOf())?.nextResponseDueAt).toBeNull();
    const dueAt = new Date(Date.now() + (TARGET_MINUTES - 1) * MINUTE).toISOString();
    const verdict = await service.nextResponseChecks.check({ conversationId: id, messageSeq, dueAt }, new Date(Date.now() + 2 * TARGET_MINUTES * MINUTE));
    expect(verdict).toEqual({ kind: 'nothing', why: 'met' });
    expect(await breaches(id)).toEqual([]);
  });

  test('three messages in a row are one wait: only the first can breach', async () => {
    const { id, client } = await heldAndWrittenAgo(1);
    await client.say('Hello?');
    const second = await lastCustomerSeq(id);
    const verdict = await service.nextResponseChecks.check({ conversationId: id, messageSeq: second, dueAt: new Date().toISOString() }, new Date(Date.now() + 2 * TARGET_MINUTES * MINUTE));
    expect(verdict).toEqual({ kind: 'nothing', why: 'superseded' });
    expect(await breaches(id)).toEqual([]);
  });
});
