import type { Kysely } from 'kysely';
import type { ConversationEventType } from '../core/conversation.js';
import type { ConversationWrites } from '../core/conversation-writes.js';
import type { LockStore, Unsubscribe } from '../core/stores.js';
import { AgentPresenceRepository } from '../db/agent-presence.js';
import { UserRepository } from '../db/users.js';
import { RoutingReads } from '../db/routing.js';
import type { Database } from '../db/schema.js';
import { offerExpiryScheduler, startOfferExpiry } from '../jobs/offer-expiry.js';
import type { JobQueue } from '../jobs/queue.js';
import { AgentPresence, type AgentPresenceDeps } from './presence.js';
import { OfferActions, type OfferActionsDeps } from './routing-offers.js';
import { Routing } from './routing.js';

/** Stored events after which a round may find something to offer, or someone to offer it to. */
const ROUTING_TRIGGERS: ReadonlySet<ConversationEventType> = new Set(['triaged', 'status_changed', 'assignee_changed', 'offer_declined', 'offer_expired', 'transferred']);

export interface RoutingService {
  offers: OfferActions;
  presence: AgentPresence;
  reads: RoutingReads;
  /** Null when ROUTING_AUTO_ASSIGN is off: nothing is offered, agents claim from the queue. */
  routing: Routing | null;
  stop(): Promise<void>;
}

/**
 * Wires routing on one instance: the offer actions on the write path, offer-expiry workers
 * (durable jobs), presence, and, with auto-assignment on, rounds run on every stored event that
 * can change who gets what (from any instance, through the live feed), on presence changes and
 * every `sweepIntervalMs` as a backstop for announcements pub/sub lost and agents going
 * auto-away. Without a job queue (`jobs` absent) nothing can be offered: offers need their
 * expiry job.
 */
export async function startRouting(deps: {
  db: Kysely<Database>;
  writes: ConversationWrites;
  locks: LockStore;
  jobs: JobQueue | null;
  subscribe(handler: (announcement: { conversationId: string; type: ConversationEventType }) => void): Promise<Unsubscribe>;
  autoAssign: boolean;
  offerTimeoutMs: number;
  awayAfterMs: number;
  sweepIntervalMs?: number;
  announceJoined?: OfferActionsDeps['announceJoined'];
  log: { warn(obj: object, msg: string): void };
  now?: () => Date;
}): Promise<RoutingService> {
  const reads = new RoutingReads(deps.db);
  const jobs = deps.jobs;
  const offers = new OfferActions({
    writes: deps.writes,
    openOffer: (id) => reads.openOffer(id),
    scheduleExpiry:
      jobs === null
        ? () => Promise.reject(new Error('routing offers need the job queue'))
        : offerExpiryScheduler(jobs),
    ...(deps.announceJoined !== undefined ? { announceJoined: deps.announceJoined } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const routing =
    deps.autoAssign && jobs !== null
      ? new Routing({ reads, offers, locks: deps.locks, offerTimeoutMs: deps.offerTimeoutMs, awayAfterMs: deps.awayAfterMs, log: deps.log, ...(deps.now !== undefined ? { now: deps.now } : {}) })
      : null;
  const presence = new AgentPresence({
    store: presenceStore(deps.db),
    loadOf: (id) => reads.loadOf(id),
    changed: () => routing?.kick(),
    awayAfterMs: deps.awayAfterMs,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  // Expiry workers run even with auto-assignment off here: offers made by other instances still end.
  if (jobs !== null) await startOfferExpiry({ jobs, offers, expired: () => routing?.kick() });
  let unsubscribe: Unsubscribe | null = null;
  let sweep: NodeJS.Timeout | null = null;
  if (routing !== null) {
    unsubscribe = await deps.subscribe((a) => {
      if (ROUTING_TRIGGERS.has(a.type)) routing.kick();
    });
    sweep = setInterval(() => routing.kick(), deps.sweepIntervalMs ?? 5_000);
    sweep.unref();
    routing.kick();
  }
  return {
    offers,
    presence,
    reads,
    routing,
    stop: async () => {
      if (sweep !== null) clearInterval(sweep);
      await unsubscribe?.().catch(() => undefined);
      await routing?.stop();
    },
  };
}

function presenceStore(db: Kysely<Database>): AgentPresenceDeps['store'] {
  const presence = new AgentPresenceRepository(db);
  const users = new UserRepository(db);
  return {
    set: (id, status, now) => presence.set(id, status, now),
    heartbeat: (id, now) => presence.heartbeat(id, now),
    of: (id) => presence.of(id),
    settings: (id) => users.routingSettings(id),
  };
}
