import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningService } from '../server/service.js';
import { AgentPresenceRepository } from '../db/agent-presence.js';
import { ConversationRepository } from '../db/conversations.js';
import { UserRepository } from '../db/users.js';
import { handedOffCustomer } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { DEPLOYMENTS } from '../test/service.js';
import { startRouting, type RoutingService } from './routing-service.js';

const CONVERSATIONS = 100;
const CAPACITY = 2;
const OFFER_TIMEOUT_MS = 1500;

/** Routing on one instance, with a short offer timeout (the service's own routing is off in these tests). */
function routingOn(service: RunningService): Promise<RoutingService> {
  return startRouting({
    db: service.database.db,
    writes: service.agentActions.writes,
    locks: service.state.locks,
    jobs: service.jobs,
    subscribe: (handler) => service.liveFeed.subscribe(handler),
    autoAssign: true,
    offerTimeoutMs: OFFER_TIMEOUT_MS,
    awayAfterMs: 10 * 60_000,
    sweepIntervalMs: 500,
    log: { warn: () => undefined },
  });
}

describe.each(DEPLOYMENTS)('routing under concurrency (%s)', (deployment) => {
  let pair: InstancePair;
  let routers: RoutingService[] = [];
  beforeAll(async () => {
    pair = await startInstancePair(deployment, { ROUTING_AUTO_ASSIGN: 'false', WEBCHAT_SESSIONS_PER_HOUR: '100000', WEBCHAT_MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    for (const r of routers) await r.stop();
    await pair?.dispose();
  });

  test(
    '100 conversations, 3 agents of capacity 2 on two instances: nobody over capacity, nothing assigned twice, offers that time out move on',
    async () => {
      const db = pair.a.database.db;
      const users = new UserRepository(db);
      const presence = new AgentPresenceRepository(db);
      const agents = await Promise.all(
        ['ana', 'ben', 'cy'].map((n) => users.create({ email: `${n}@routing.example`, name: n, role: 'agent', teams: [], passwordHash: '$argon2id$not-a-real-hash' })),
      );
      const [ana, ben, cy] = agents.map((a) => a.id) as [string, string, string];
      for (const id of [ana, ben, cy]) {
        expect(await users.setRoutingSettings(id, { capacity: CAPACITY })).toBe(true);
        await presence.set(id, 'online', new Date());
      }
      // One router per instance (on the embedded deployment two on the one process): they race for the same agents.
      routers = [await routingOn(pair.a), await routingOn(pair.b)];
      const [onA, onB] = routers as [RoutingService, RoutingService];

      // What each agent's load is at any moment, read in one statement (one snapshot).
      let overCapacity: Array<{ agent: string; load: number }> = [];
      const maxLoad = new Map<string, number>();
      let monitoring = true;
      const monitor = (async () => {
        while (monitoring) {
          const rows = await sql<{ id: string; load: string | number }>`
            select u.id,
              (select count(*) from conversations c where c.status = 'assigned' and c.assignee_id = u.id)
              + (select count(*) from conversations c
                  join lateral (select e.type, e.payload from conversation_events e where e.conversation_id = c.id
                    and e.type in ('offered', 'offer_declined', 'offer_expired', 'assignee_changed', 'status_changed', 'transferred')
                    order by e.seq desc limit 1) b on true
                  where c.status = 'queued' and b.type = 'offered' and b.payload->>'agentId' = u.id) as load
            from users u where u.id in (${ana}, ${ben}, ${cy})`.execute(db);
          for (const r of rows.rows) {
            const load = Number(r.load);
            maxLoad.set(r.id, Math.max(maxLoad.get(r.id) ?? 0, load));
            if (load > CAPACITY) overCapacity = [...overCapacity, { agent: r.id, load }];
          }
          await sleep(25);
        }
      })();

      // Ana (on A) accepts every offer, Ben (on B) declines every fourth and accepts the rest; both
      // resolve what they took. Cy never answers: each of his offers must time out and move on.
      const decided = new Set<string>();
      let working = true;
      const work = async (agentId: string, routing: RoutingService, service: RunningService, declineEvery: number): Promise<void> => {
        let seen = 0;
        while (working) {
          for (const offer of await routing.reads.offersTo(agentId)) {
            const key = `${offer.conversationId}:${offer.offerSeq}`;
            if (decided.has(key)) continue;
            decided.add(key);
            seen += 1;
            if (declineEvery > 0 && seen % declineEvery === 0) {
              await routing.offers.decline(offer.conversationId, agentId).catch(() => undefined);
              continue;
            }
            const accepted = await routing.offers.accept(offer.conversationId, agentId).catch(() => null);
            if (accepted !== null) await service.agentActions.resolve(offer.conversationId, agentId);
          }
          await sleep(20);
        }
      };
      const workers = [work(ana, onA, pair.a, 0), work(ben, onB, pair.b, 4)];

      // The customers arrive while routing runs, half through each instance.
      const ids: string[] = [];
      for (let i = 0; i < CONVERSATIONS; i += 10) {
        const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => handedOffCustomer((i + j) % 2 === 0 ? pair.a.url : pair.b.url)));
        ids.push(...batch.map((b) => b.conversationId));
      }
      const resolved = async (): Promise<number> =>
        Number((await sql<{ n: string }>`select count(*) as n from conversations where id in (${sql.join(ids)}) and status = 'resolved'`.execute(db)).rows[0]!.n);
      await expect.poll(resolved, { timeout: 150_000, interval: 500 }).toBe(CONVERSATIONS);
      working = false;
      monitoring = false;
      await Promise.all([...workers, monitor]);

      expect(overCapacity).toEqual([]);
      expect(Math.max(...maxLoad.values())).toBeLessThanOrEqual(CAPACITY);
      // Capacity was used, not just respected.
      expect(maxLoad.get(ana)).toBe(CAPACITY);

      const repo = new ConversationRepository(db);
      let expiredThenMovedOn = 0;
      let cyExpired = 0;
      for (const id of ids) {
        const log = (await repo.loadEvents(id)).map((e) => ({ seq: e.seq, event: e.event }));
        // Assigned exactly once, to an agent who accepted its offer.
        const assigned = log.flatMap((e) => (e.event.type === 'assignee_changed' && e.event.agentId !== null ? [e.event.agentId] : []));
        expect(assigned).toHaveLength(1);
        expect([ana, ben]).toContain(assigned[0]);
        // Never two offers open at once: every offer ends before the next one is made.
        let open: string | null = null;
        for (const { event } of log) {
          if (event.type === 'offered') {
            expect(open).toBeNull();
            open = event.agentId;
          } else if (event.type === 'offer_declined' || event.type === 'offer_expired' || event.type === 'assignee_changed' || event.type === 'status_changed') {
            open = null;
          }
        }
        const expiredAt = log.findIndex((e) => e.event.type === 'offer_expired');
        if (expiredAt >= 0) {
          const expired = log[expiredAt]!.event as { agentId: string };
          if (expired.agentId === cy) cyExpired += 1;
          const next = log.slice(expiredAt + 1).find((e) => e.event.type === 'offered');
          if (next !== undefined && next.event.type === 'offered' && next.event.agentId !== expired.agentId) expiredThenMovedOn += 1;
        }
      }
      // Cy was offered conversations, never took one; his offers timed out (durable jobs) and went to someone else.
      expect(cyExpired).toBeGreaterThan(0);
      expect(expiredThenMovedOn).toBeGreaterThan(0);
      expect((await onA.presence.of(cy)).load).toBeLessThanOrEqual(CAPACITY);
    },
    200_000,
  );
});
