import type { Router } from 'express';
import type { Kysely } from 'kysely';
import type { AgentProfile } from '../../core/agent-api.js';
import type { Config } from '../../core/config.js';
import type { StateBackend } from '../../core/stores.js';
import type { LiveFeed } from '../../bots/live-feed.js';
import { buildAgentConsole } from '../../consoles/agent/build.js';
import { AgentQueueReads } from '../../db/agent-queue.js';
import type { ConversationRepository } from '../../db/conversations.js';
import type { Database } from '../../db/schema.js';
import type { ThrottleRepository } from '../../db/throttles.js';
import { UserRepository } from '../../db/users.js';
import type { AgentActions } from '../../handoff/agent-actions.js';
import type { FollowUps } from '../../handoff/follow-ups.js';
import type { CustomerRouteDeps } from './verification-routes.js';
import { startRouting, type RoutingService } from '../../handoff/routing-service.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AgentPresenceRepository } from '../../db/agent-presence.js';
import { AgentViewRepository } from '../../db/agent-views.js';
import type { Logger } from '../logger.js';
import { CustomerContextReads } from '../../db/customer-context.js';
import { agentConsoleRouter } from './console-route.js';
import { createConversationSummarizer } from './conversation-summary.js';
import { AgentActivity } from './ephemeral.js';
import { seedDemoAgents, type DemoAgent } from './demo-agents.js';
import { LoginThrottle } from './login-throttle.js';
import { agentRouter, currentAgent } from './routes.js';
import { AgentSessions } from './sessions.js';
import { createReplyTools } from './reply-tools.js';
import type { CannedResponses } from './canned-responses.js';
import type { Retriever } from '../../knowledge/index.js';
import { agentSocket, type AgentSocket } from './socket.js';
import type { ProfileFieldsConfig } from '../../core/profile-fields.js';
import { profileRouteDeps } from './profile-wiring.js';
import type { CaseModule } from './case-routes.js';

export { buildAgentConsole } from '../../consoles/agent/build.js';
export { hashPassword, verifyPassword, generatePassword } from './passwords.js';
export { DEMO_AGENTS, type DemoAgent } from './demo-agents.js';
export { loadCannedResponses, type CannedResponses } from './canned-responses.js';

export interface AgentConsole {
  /** `/api/agent/*`, mounted with a JSON body parser. */
  api: Router;
  /** The console's page and assets at `/agent`. */
  page: Router;
  socket: AgentSocket;
  /** The demo accounts (SEED_DEMO), as DATA_DIR/secrets.json lists them; empty otherwise. */
  demoAgents: DemoAgent[];
  /** Builds the console now (npm start), rather than on its first request. */
  prepare(): Promise<void>;
  /** Presence, offers and auto-assignment (handoff/routing-service.ts). */
  routing: RoutingService;
  /** Viewing/typing signals and the widget's "has joined" (server/agent/ephemeral.ts). */
  activity: AgentActivity;
  /** The console user behind a Cookie header, or null (pages outside the console authorize by role with it: /admin/whatsapp-web). */
  currentUser(cookieHeader: string | undefined): Promise<AgentProfile | null>;
  /** Stops routing rounds on this instance (before the job queue and the state backend close). */
  close(): Promise<void>;
}

/** Wires the agent console: accounts, sessions, sign-in throttle, API, socket and page. */
export async function createAgentConsole(deps: {
  config: Config;
  db: Kysely<Database>;
  state: StateBackend;
  throttles: ThrottleRepository;
  sessionSecret: string;
  conversations: ConversationRepository;
  liveFeed: LiveFeed;
  actions: AgentActions;
  /** The next-response deadline of a customer message (`HandoffPolicy.nextResponseDue`), shown in the queue's SLA. */
  nextResponseDue?: (team: string | null, at: Date) => Date;
  /** Follow-up reminders (handoff/follow-ups.ts); without it the follow-up routes are absent. */
  followUps?: FollowUps;
  /** Verifying the customer and acting for them from the console (handoff/agent-verification.ts, agent-order-actions.ts). */
  customer?: Pick<CustomerRouteDeps, 'verification' | 'orderActions'>;
  /** The job queue offers' expiry jobs run on; without it nothing is auto-assigned (agents claim). */
  jobs?: JobQueue;
  publicUrl(): string;
  /** The retriever over the published articles (article suggestions and drafts). */
  retriever(): Retriever;
  /** The canned responses, loaded and checked at start-up (loadCannedResponses). */
  cannedResponses: CannedResponses;
  /** The customer profile fields, loaded and checked at start-up (crm/profile-fields-file.ts); without them the profile routes are absent. */
  profileFields?: ProfileFieldsConfig;
  /** Cases (crm/case-store.ts and friends); without them the case routes are absent. */
  cases?: CaseModule;
  shopName: string;
  log: Logger;
  now?: () => Date;
}): Promise<AgentConsole> {
  const { config } = deps;
  const users = new UserRepository(deps.db);
  const queue = new AgentQueueReads(deps.db, deps.now, deps.nextResponseDue);
  const sessions = new AgentSessions({ store: deps.state.snapshots, ttlMs: config.AGENT_SESSION_TTL_HOURS * 60 * 60 * 1000 });
  const routing = await startRouting({
    db: deps.db,
    writes: deps.actions.writes,
    locks: deps.state.locks,
    jobs: deps.jobs ?? null,
    subscribe: (handler) => deps.liveFeed.subscribe(handler),
    autoAssign: config.ROUTING_AUTO_ASSIGN,
    offerTimeoutMs: config.ROUTING_OFFER_TIMEOUT_SECONDS * 1000,
    awayAfterMs: config.AGENT_AWAY_AFTER_SECONDS * 1000,
    announceJoined: (...args) => deps.actions.announceJoined(...args),
    log: deps.log,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const activity = new AgentActivity({
    pubsub: deps.state.pubsub,
    counters: deps.state.counters,
    idempotency: deps.state.idempotency,
    conversation: async (id) => (await deps.conversations.projection(id)) ?? undefined,
    events: deps.conversations,
    names: (ids) => users.names(ids),
    log: deps.log,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const following = activity.follow((handler) => deps.liveFeed.subscribe(handler));
  // A failed subscription costs the widget its "has joined" line, not the console; the warning says so.
  following.catch((error: unknown) => deps.log.warn({ err: error }, 'the widget will not hear which agent joined: live feed subscription failed'));
  const replyTools = createReplyTools({ config, canned: deps.cannedResponses, retriever: deps.retriever, shopName: deps.shopName, log: deps.log });
  const demoAgents = config.SEED_DEMO ? await seedDemoAgents(users, config.DATA_DIR) : [];
  let built: Promise<string> | null = null;
  const builtDir = (): Promise<string> => {
    built ??= buildAgentConsole().catch((error: unknown) => {
      built = null;
      deps.log.error({ err: error }, 'the agent console could not be built');
      throw error;
    });
    return built;
  };
  return {
    api: agentRouter({
      users,
      sessions,
      throttle: new LoginThrottle({
        counters: deps.throttles,
        secret: deps.sessionSecret,
        perAccount: config.AGENT_LOGIN_MAX_ATTEMPTS,
        perIp: config.AGENT_LOGIN_MAX_ATTEMPTS_PER_IP,
        ...(deps.now !== undefined ? { now: deps.now } : {}),
      }),
      queue,
      views: new AgentViewRepository(deps.db),
      actions: deps.actions,
      ...(deps.followUps !== undefined ? { followUps: deps.followUps } : {}),
      presence: routing.presence,
      offers: routing.offers,
      presenceStore: new AgentPresenceRepository(deps.db),
      offersTo: (id) => routing.reads.offersTo(id),
      awayAfterMs: config.AGENT_AWAY_AFTER_SECONDS * 1000,
      events: (id) => deps.conversations.loadEvents(id),
      publicUrl: deps.publicUrl,
      verificationTtlMs: config.VERIFICATION_TTL_HOURS * 60 * 60 * 1000,
      ...(deps.customer !== undefined ? { customer: deps.customer } : {}),
      context: {
        events: (id) => deps.conversations.loadEvents(id),
        customers: new CustomerContextReads(deps.db),
        summarizer: createConversationSummarizer(config),
      },
      replyTools,
      ...(deps.profileFields !== undefined ? { profiles: profileRouteDeps(deps.db, deps.profileFields, deps.actions, deps.now) } : {}),
      ...(deps.cases !== undefined ? { cases: deps.cases } : {}),
      ...(deps.now !== undefined ? { now: deps.now } : {}),
    }),
    page: agentConsoleRouter(builtDir),
    socket: agentSocket({
      subscribe: (handler) => deps.liveFeed.subscribe(handler),
      agentOf: (cookie) => currentAgent({ sessions, users }, cookie),
      holdingOf: async (id) => {
        const projection = await deps.conversations.projection(id);
        return projection === null ? undefined : { status: projection.status, team: projection.team };
      },
      publicUrl: deps.publicUrl,
      activity,
      log: deps.log,
    }),
    demoAgents,
    prepare: async () => {
      await builtDir();
    },
    routing,
    activity,
    currentUser: (cookie) => currentAgent({ sessions, users }, cookie),
    close: async () => {
      await following.then((un) => un()).catch(() => undefined);
      await routing.stop();
    },
  };
}
