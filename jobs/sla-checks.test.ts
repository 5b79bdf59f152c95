import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueSchema } from '../core/agent-api.js';
import { ConversationRepository } from '../db/conversations.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../test/service.js';
import type { SlaCheckData } from './sla-check-job.js';

const MINUTE = 60_000;

describe.each(DEPLOYMENTS)('handoff SLAs are durable jobs (%s)', (deployment) => {
  let service: TestService;
  // The service's clock: a handoff "some minutes ago" has deadlines already past.
  let offsetMs = 0;
  const clock = (): Date => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    service = await startTestService(deployment, {}, { now: clock });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const repo = (): ConversationRepository => new ConversationRepository(service.database.db);
  const breaches = async (conversationId: string) => (await repo().loadEvents(conversationId)).flatMap((e) => (e.event.type === 'sla_breached' ? [e.event] : []));
  const handoffSeq = async (conversationId: string): Promise<number> => (await repo().loadEvents(conversationId)).find((e) => e.event.type === 'triaged')!.seq;

  /** A customer handed off `minutesAgo` minutes ago by the service's clock. */
  async function handedOffAgo(minutesAgo: number): Promise<string> {
    offsetMs = -minutesAgo * MINUTE;
    try {
      return (await handedOffCustomer(service.url)).conversationId;
    } finally {
      offsetMs = 0;
    }
  }

  test('a first response nobody gave is recorded once and raises the priority one level; checks run again record nothing', async () => {
    const id = await handedOffAgo(10);
    expect((await repo().projection(id))?.priority).toBe(1);
    await expect.poll(() => breaches(id), { timeout: 30_000, interval: 250 }).toHaveLength(1);
    expect((await breaches(id))[0]).toMatchObject({ kind: 'first_response', priority: 2 });
    expect((await repo().projection(id))?.priority).toBe(2);

    // The same job twice more, at once (a retry racing a duplicate): the log decides, under the lock.
    const data: SlaCheckData = { conversationId: id, handoffSeq: await handoffSeq(id), kind: 'first_response' };
    const again = await Promise.all([service.slaChecks.check(data), service.slaChecks.check(data)]);
    expect(again).toEqual([
      { kind: 'nothing', why: 'already_recorded' },
      { kind: 'nothing', why: 'already_recorded' },
    ]);
    expect(await breaches(id)).toHaveLength(1);
    expect((await repo().projection(id))?.priority).toBe(2);
  });

  test('a check that falls due while the service is down runs after the restart and records the breach once', async () => {
    // Due in a few seconds: the service stops before it runs, and starts again after.
    const id = await handedOffAgo(2 - 4 / 60);
    const dueAt = Date.parse((await repo().loadEvents(id)).flatMap((e) => (e.event.type === 'triaged' ? [e.event.sla!.firstResponseDueAt] : []))[0]!);
    expect(await breaches(id)).toEqual([]);
    await service.close();
    await sleep(Math.max(0, dueAt - Date.now()) + 1000);
    const restartedAt = Date.now();
    service = await restartTestService(service, { now: clock });
    await expect.poll(() => breaches(id), { timeout: 40_000, interval: 250 }).toHaveLength(1);
    // Recorded by the restarted service: nothing ran while it was down, nothing was lost.
    expect(Date.parse((await breaches(id))[0]!.at)).toBeGreaterThanOrEqual(restartedAt);
    const data: SlaCheckData = { conversationId: id, handoffSeq: await handoffSeq(id), kind: 'first_response' };
    expect(await service.slaChecks.check(data)).toEqual({ kind: 'nothing', why: 'already_recorded' });
    expect(await breaches(id)).toHaveLength(1);
    // The resolution target (24 hours) is not due: nothing recorded for it.
    expect(await service.slaChecks.check({ ...data, kind: 'resolution' })).toMatchObject({ kind: 'not_due' });
    expect((await breaches(id)).map((b) => b.kind)).toEqual(['first_response']);
  });

  test('an agent who answers in time meets the first response: no breach, and the queue says so', async () => {
    const { conversationId: id } = await handedOffCustomer(service.url);
    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    expect((await agent.post(`/conversations/${id}/messages`, { text: 'Hi, I am here.' })).status).toBe(200);
    offsetMs = 5 * MINUTE;
    try {
      const verdict = await service.slaChecks.check({ conversationId: id, handoffSeq: await handoffSeq(id), kind: 'first_response' });
      expect(verdict).toEqual({ kind: 'nothing', why: 'met' });
    } finally {
      offsetMs = 0;
    }
    expect(await breaches(id)).toEqual([]);
    const entry = QueueSchema.parse((await agent.get('/queue')).body).conversations.find((c) => c.id === id)!;
    expect(entry.sla).toMatchObject({ status: 'on_track', firstResponseAt: expect.any(String), breached: [] });
  });
});
