import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationRepository } from '../db/conversations.js';
import { UserRepository } from '../db/users.js';
import { startRouting, type RoutingService } from '../handoff/routing-service.js';
import type { RunningService } from '../server/service.js';
import { handedOffCustomer } from '../test/agent-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../test/service.js';

/** The offer actions and expiry workers on a service, without auto-assignment: the test makes the offers. */
const offersOn = (service: RunningService): Promise<RoutingService> =>
  startRouting({
    db: service.database.db,
    writes: service.agentActions.writes,
    locks: service.state.locks,
    jobs: service.jobs,
    subscribe: (handler) => service.liveFeed.subscribe(handler),
    autoAssign: false,
    offerTimeoutMs: 60_000,
    awayAfterMs: 60_000,
    log: { warn: () => undefined },
  });

describe.each(DEPLOYMENTS)('offer timeouts are durable jobs (%s)', (deployment) => {
  let service: TestService;
  let routing: RoutingService;
  beforeAll(async () => {
    service = await startTestService(deployment, { ROUTING_AUTO_ASSIGN: 'false' });
    routing = await offersOn(service);
  });
  afterAll(async () => {
    await routing?.stop();
    await service?.dispose();
  });

  const expiries = async (id: string) => (await new ConversationRepository(service.database.db).loadEvents(id)).filter((e) => e.event.type === 'offer_expired');

  test('an offer that falls due while the service is down ends after the restart, once; accepting it late is refused', async () => {
    const agent = await new UserRepository(service.database.db).create({ email: 'dee@routing.example', name: 'Dee', role: 'agent', teams: [], passwordHash: '$argon2id$not-a-real-hash' });
    const { conversationId } = await handedOffCustomer(service.url);
    const made = await routing.offers.offer(conversationId, agent.id, 3000);
    expect(made).toMatchObject({ offered: true });
    if (!made.offered) return;
    // A second offer of the same conversation finds it offered.
    expect(await routing.offers.offer(conversationId, 'someone-else', 3000)).toEqual({ offered: false, why: 'already_offered' });

    await routing.stop();
    await service.close();
    await sleep(Math.max(0, Date.parse(made.expiresAt) - Date.now()) + 1000);
    const restartedAt = Date.now();
    service = await restartTestService(service);
    routing = await offersOn(service);
    await expect.poll(() => expiries(conversationId), { timeout: 40_000, interval: 250 }).toHaveLength(1);
    expect(Date.parse((await expiries(conversationId))[0]!.event.at)).toBeGreaterThanOrEqual(restartedAt);
    expect((await expiries(conversationId))[0]!.event).toMatchObject({ agentId: agent.id, offerSeq: made.seq });

    // The job again (a retry), and the agent's late accept: nothing more is stored.
    const offerId = (await new ConversationRepository(service.database.db).loadEvents(conversationId)).flatMap((e) => (e.event.type === 'offered' ? [e.event.offerId] : []))[0]!;
    expect(await routing.offers.expire({ conversationId, offerSeq: made.seq, offerId })).toEqual({ kind: 'nothing' });
    await expect(routing.offers.accept(conversationId, agent.id)).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect(await expiries(conversationId)).toHaveLength(1);
    expect((await new ConversationRepository(service.database.db).projection(conversationId))?.status).toBe('queued');
  });
});
