import type { LockStore } from '../core/stores.js';
import type { OfferActions } from './routing-offers.js';

/** A queued conversation as a round sees it (db/routing.ts). */
export interface RoundConversation {
  id: string;
  team: string | null;
  skills: readonly string[];
  offer: { agentId: string } | null;
  /** Agents offered it since its latest handoff, with the seq of their latest offer. */
  tried: ReadonlyMap<string, number>;
}

/** An agent routing may offer to (db/routing.ts). */
export interface RoundAgent {
  id: string;
  teams: readonly string[];
  skills: readonly string[];
  capacity: number;
  held: number;
}

export interface RoutingDeps {
  reads: {
    /** Queued conversations, most urgent then longest waiting first. */
    waiting(): Promise<RoundConversation[]>;
    /** Online agents with a heartbeat since `seenSince`. */
    routableAgents(seenSince: Date): Promise<RoundAgent[]>;
    loadOf(agentId: string): Promise<{ held: number; offers: readonly unknown[] }>;
  };
  offers: Pick<OfferActions, 'offer'>;
  locks: LockStore;
  offerTimeoutMs: number;
  /** An `online` agent without a heartbeat for this long counts as away. */
  awayAfterMs: number;
  log: { warn(obj: object, msg: string): void };
  now?: () => Date;
}

/** Whether the agent may take the conversation: its team (or none, the shared queue) and every skill it needs. */
export function eligible(agent: Pick<RoundAgent, 'teams' | 'skills'>, conversation: Pick<RoundConversation, 'team' | 'skills'>): boolean {
  return (conversation.team === null || agent.teams.includes(conversation.team)) && conversation.skills.every((s) => agent.skills.includes(s));
}

/**
 * Of the eligible agents with room, the one to offer to: those not offered this conversation
 * since its handoff first (an offer that timed out or was declined moves on to the next agent),
 * then the least loaded, then the one offered it longest ago; ties by id, so every instance
 * picks alike. Agents offered it already come round again once everyone was: a conversation
 * with one eligible agent is offered to them again.
 */
export function pickAgent(conversation: RoundConversation, agents: readonly RoundAgent[], load: ReadonlyMap<string, number>): RoundAgent | null {
  const candidates = agents.filter((a) => eligible(a, conversation) && (load.get(a.id) ?? a.held) < a.capacity);
  candidates.sort((x, y) => {
    const tx = conversation.tried.get(x.id) ?? -1;
    const ty = conversation.tried.get(y.id) ?? -1;
    if ((tx === -1) !== (ty === -1)) return tx === -1 ? -1 : 1;
    const lx = (load.get(x.id) ?? x.held) / x.capacity;
    const ly = (load.get(y.id) ?? y.held) / y.capacity;
    if (lx !== ly) return lx - ly;
    if (tx !== ty) return tx - ty;
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
  });
  return candidates[0] ?? null;
}

/** The lock that makes "read the agent's load, then offer" one step across instances. */
export const agentRoutingLock = (agentId: string): string => `routing-agent:${agentId}`;

/**
 * Auto-assignment. A round offers each queued conversation without an open offer, most urgent
 * then longest waiting first, to an eligible online agent with free capacity (held + offered).
 * Every offer is made under the agent's lock (`routing-agent:<id>`, across instances) after
 * reading their load again, and under the conversation's lock (the offer action), so rounds
 * running at once on several instances never take an agent over capacity nor offer one
 * conversation twice. Rounds on one instance run one at a time; a kick during a round runs one
 * more after it.
 */
export class Routing {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: RoutingDeps) {}

  /** Asks for a round soon (something changed: a handoff, an offer ended, an agent came online). */
  kick(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.round();
        } catch (error) {
          this.deps.log.warn({ err: error }, 'routing round failed; the next one tries again');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Waits for the round in flight (tests, graceful stop). */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.settled();
  }

  /** One round now; the number of offers it made. */
  async round(): Promise<number> {
    const now = this.deps.now?.() ?? new Date();
    const agents = await this.deps.reads.routableAgents(new Date(now.getTime() - this.deps.awayAfterMs));
    if (agents.length === 0) return 0;
    const waiting = await this.deps.reads.waiting();
    const load = new Map(agents.map((a) => [a.id, a.held]));
    for (const c of waiting) if (c.offer !== null && load.has(c.offer.agentId)) load.set(c.offer.agentId, load.get(c.offer.agentId)! + 1);
    let made = 0;
    for (const conversation of waiting) {
      if (this.stopped) break;
      if (conversation.offer !== null) continue;
      const agent = pickAgent(conversation, agents, load);
      if (agent === null) continue;
      const outcome = await this.offerUnderAgentLock(conversation.id, agent);
      load.set(agent.id, outcome.load);
      if (outcome.offered) made += 1;
    }
    return made;
  }

  private async offerUnderAgentLock(conversationId: string, agent: RoundAgent): Promise<{ offered: boolean; load: number }> {
    return this.deps.locks.withLock(agentRoutingLock(agent.id), async () => {
      // Read again under the lock: another instance may have offered to this agent since the round began.
      const now = await this.deps.reads.loadOf(agent.id);
      const current = now.held + now.offers.length;
      if (current >= agent.capacity) return { offered: false, load: current };
      const made = await this.deps.offers.offer(conversationId, agent.id, this.deps.offerTimeoutMs);
      return { offered: made.offered, load: current + (made.offered ? 1 : 0) };
    }, { waitMs: 10_000 });
  }
}
