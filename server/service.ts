import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { notificationTransports, type Config } from '../core/config.js';
import type { StateBackend } from '../core/stores.js';
import type { InboundTurns } from '../core/turn-outcome.js';
import { DialogueManager } from '../bots/dialogue.js';
import { buildFlows } from '../bots/flows/index.js';
import { PasswordResetTokens } from '../bots/flows/password-reset-tokens.js';
import { createReturnsServices } from '../bots/returns/services.js';
import { knowledgeHooks } from '../bots/flows/knowledge-answer.js';
import { IdentityGate } from '../bots/identity-gate.js';
import { SecurityQuestions } from '../db/security-questions.js';
import { AgentOrderActions } from '../handoff/agent-order-actions.js';
import { AgentVerification } from '../handoff/agent-verification.js';
import { seedDemoSecurityQuestions } from '../handoff/security-answer.js';
import { ConversationWriter } from '../bots/conversation-writer.js';
import { LiveFeed } from '../bots/live-feed.js';
import { ConversationRoutes } from '../bots/routes.js';
import { ConversationTracker } from '../bots/tracker.js';
import { TurnProcessor } from '../bots/turn.js';
import { VerificationBudget } from '../bots/verification-budget.js';
import { CustomerVerifier } from '../bots/verification.js';
import { customerRecordSources } from '../bots/verified-customer.js';
import { DevOutbox } from '../channels/outbox/dev-outbox.js';
import { DEV_OUTBOX_PATH, devOutboxRouter } from '../channels/outbox/routes.js';
import { ChannelRegistry } from '../channels/registry.js';
import { twilioChannelFromConfig } from './twilio-channel.js';
import { twilioWhatsAppFromConfig } from './twilio-whatsapp.js';
import { agentChannelRules, proactiveWhatsApp } from './whatsapp-rules.js';
import { testChannelConnector } from '../channels/test-channel/index.js';
import { webchatChannel } from '../channels/webchat/connector.js';
import { webchatRouter } from '../channels/webchat/routes.js';
import { WebchatSessions } from '../channels/webchat/session.js';
import { webchatSocket } from '../channels/webchat/socket.js';
import { ArticleFeedback } from '../db/article-feedback.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { ConversationRepository } from '../db/conversations.js';
import { CustomerClaims } from '../db/customer-claims.js';
import { CustomerCredentials } from '../db/customer-credentials.js';
import { AgentActions } from '../handoff/agent-actions.js';
import { ConversationEffects } from '../db/conversation-effects.js';
import { OutboxMessages } from '../db/outbox-messages.js';
import { ProductCatalogue } from '../db/products.js';
import { ReturnRepository } from '../db/returns.js';
import { startThrottleSweeper, ThrottleRepository } from '../db/throttles.js';
import { seedDemoShop } from '../db/shop/seed.js';
import { loadProfileFields } from '../crm/profile-fields-file.js';
import { loadCaseTemplates } from '../crm/case-templates.js';
import { botCasePlacement } from '../crm/case-bot.js';
import { startCases, type Cases } from '../crm/case-module.js';
import { seedDemoProfiles } from '../crm/profile-demo.js';
import type { ProfileFieldsConfig } from '../core/profile-fields.js';
import { createNluEngine, intentActions, loadIntentFiles } from '../intents/index.js';
import { JobQueue, startConversationEffects, startInboundProcessing, startOutboundDelivery } from '../jobs/index.js';
import { slaJobsOf } from '../jobs/sla-scheduling.js';
import { JobsInCommit } from '../jobs/jobs-in-commit.js';
import { startSlaChecks, type SlaChecks } from '../jobs/sla-checks.js';
import { followUpJobsOf, startFollowUps } from '../jobs/follow-up-job.js';
import { FollowUps } from '../handoff/follow-ups.js';
import { startNextResponseChecks, type NextResponseChecks } from '../jobs/next-response-checks.js';
import { AgentQueueReads } from '../db/agent-queue.js';
import { HandoffDesk } from '../handoff/handoff-desk.js';
import { WaitingRoom } from '../bots/waiting-room.js';
import { SatisfactionSurvey } from '../bots/satisfaction.js';
import { queuePosition } from '../db/queue-position.js';
import { loadHandoffPolicy, type HandoffPolicy } from '../handoff/policy.js';
import { Incidents } from '../db/incidents.js';
import { CustomerTyping } from './agent/customer-typing.js';
import { firstNameOf } from './agent/ephemeral.js';
import { AGENT_ACTION_COPY } from '../handoff/agent-action-copy.js';
import { UserRepository } from '../db/users.js';
import { createGenerativeAnswerer } from '../knowledge/generative/index.js';
import { openKnowledgeStore } from '../knowledge/store/index.js';
import { createStateBackend } from '../state/index.js';
import { AcceptCapacity } from './accept-capacity.js';
import { createAgentConsole, loadCannedResponses, type CannedResponses, type DemoAgent } from './agent/index.js';
import type { OfferActions } from '../handoff/routing-offers.js';
import { adminRouter } from './admin.js';
import { metaChannelsFromConfig } from './meta-channels.js';
import { whatsAppWebFromConfig } from './whatsapp-web-channel.js';
import { whatsAppWebAdminRouter, type WhatsAppWebChannel } from '../channels/whatsapp-web/index.js';
import { ProactiveUpdates } from '../jobs/proactive-updates.js';
import { parseQuietHours } from '../channels/proactive/quiet-hours.js';
import { shopEventsRouter } from './shop-events.js';
import { PhoneDirectory } from '../bots/phone-identity.js';
import { WhoIsWriting } from '../bots/who-is-writing.js';
import { CaseSatisfactionReplies } from '../crm/case-csat-replies.js';
import { caseSatisfactionRouter } from './case-satisfaction.js';
import { CrossChannelContinuation } from '../bots/cross-channel.js';
import { Consents } from '../db/consents.js';
import { accountResetRouter } from './account-reset.js';
import { createApp } from './app.js';
import { compileTrustProxy } from './client-ip.js';
import { adminTokenEditor, editorRouter } from './editor.js';
import { helpPagesRouter } from './help-pages.js';
import { readProcDescriptors } from './descriptors.js';
import { healthRouter } from './health.js';
import { CountedEventWriter, createMetrics, meteredLocks, meteredNlu, meteredTurns, metricsRouter, refreshDatabaseGauges } from './metrics/index.js';
import { recordOptOut } from '../db/channel-opt-outs.js';
import { createLogger, type Logger } from './logger.js';
import { createNotifications } from './notifications.js';
import { returnLabelRouter } from './labels.js';
import { resolveSecrets } from './secrets.js';
import { SocketEndpoints } from './socket-endpoints.js';

export interface RunningService {
  /** Base URL the server listens on (PUBLIC_URL is what customers see). */
  url: string;
  urls: { chatDemo: string; devOutbox: string | null; health: string; /** The WhatsApp Web QR/connection page (WHATSAPP_WEB=true). */ whatsappWebAdmin: string | null };
  /** The development outbox is served to every client (DEV_OUTBOX=true), not only loopback. */
  devOutboxPublic: boolean;
  database: DatabaseHandle;
  state: StateBackend;
  /** The durable job queue (pg-boss on the same database). */
  jobs: JobQueue;
  /** What agents do to conversations (internal API; the agent console calls it). */
  agentActions: AgentActions;
  /** The handoff SLA checks (durable jobs; `check` runs one now). */
  slaChecks: SlaChecks;
  /** The next-response SLA checks of customer messages a person holds (durable jobs). */
  nextResponseChecks: NextResponseChecks;
  /** Agents' follow-up reminders (durable jobs; `due` runs one now). */
  followUps: FollowUps;
  /** Proactive order updates (channels/proactive/): `releaseDue` sends the notices whose quiet hours are over now. */
  proactive: ProactiveUpdates;
  /** Cases (crm/): the store, broadcasts and follow-ups (`followUps.due` runs one now). */
  cases: Cases;
  /** Announcements of every stored conversation event, and catch-up by seq. */
  liveFeed: LiveFeed;
  /** The agent console at /agent: the demo accounts (SEED_DEMO) and an early build for `npm start`. */
  agentConsole: { url: string; demoAgents: DemoAgent[]; prepare(): Promise<void> };
  /** Routing's offers on this instance (presence and rounds drive them; tests make them directly). */
  offers: OfferActions;
  /**
   * Where every channel hands a normalized inbound message (the TurnProcessor): the conversation
   * harness (test/conversation.ts) and bench:conversations drive turns here, without HTTP.
   */
  turns: InboundTurns;
  log: Logger;
  /** The express app and the WebSocket upgrade paths: what the API document must cover (server/openapi/coverage.test.ts). */
  http: { app: Express; socketPaths: readonly string[] };
  generatedAdminToken: boolean;
  /** WhatsApp through whatsapp-web.js (WHATSAPP_WEB=true); null otherwise. */
  whatsappWeb: WhatsAppWebChannel | null;
  /** Graceful stop: refuse new work, finish turns in flight, close sockets and stores. */
  close(): Promise<void>;
}

/** The composition root: the one place that wires every part together. */
export async function startService(
  config: Config,
  options: {
    log?: Logger;
    /** The clock of turns and session tokens; tests move it (verification expiry). */
    now?: () => Date;
    /** Test-only: a loopback stand-in for api.twilio.com (never configurable: production talks to Twilio). */
    twilioApiOrigin?: string;
    /** Test-only: a loopback stand-in for graph.facebook.com (test/meta-graph-api.ts; never configurable). */
    metaApiOrigin?: string;
    /** Test-only: false constructs the whatsapp-web.js Client (WHATSAPP_WEB=true) but never launches its browser. */
    launchWhatsAppWeb?: boolean;
  } = {},
): Promise<RunningService> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const secrets = await resolveSecrets(config);
  // Validated before anything opens: an invalid policy file stops the start with SB_ERR_CONFIG.
  const handoffPolicy = await loadHandoffPolicy(config.HANDOFF_POLICY_FILE);
  // The same for the agent console's canned responses.
  const cannedResponses = await loadCannedResponses(config.CANNED_RESPONSES_FILE);
  // And the customer profile fields (crm/profile-fields.yaml or PROFILE_FIELDS_FILE).
  const profileFields = await loadProfileFields(config.PROFILE_FIELDS_FILE);
  const database = await openDatabase(
    config.DATABASE_URL !== undefined ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pgdata') },
  );
  let state: StateBackend | null = null;
  try {
    const backend = await createStateBackend(config, { log });
    state = backend;
    if (config.SEED_DEMO) {
      const { seeded } = await seedDemoShop(database.db);
      if (seeded) log.info('seeded the demo shop');
      await seedDemoSecurityQuestions(database.db);
      await seedDemoProfiles(database.db);
    }
    return await wire(config, log, secrets, database, backend, options.now, handoffPolicy, cannedResponses, options.twilioApiOrigin, profileFields, options.metaApiOrigin, options.launchWhatsAppWeb);
  } catch (error) {
    await state?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function wire(
  config: Config,
  log: Logger,
  secrets: Awaited<ReturnType<typeof resolveSecrets>>,
  database: DatabaseHandle,
  state: StateBackend,
  now: (() => Date) | undefined,
  handoffPolicy: HandoffPolicy,
  cannedResponses: CannedResponses,
  twilioApiOrigin: string | undefined,
  profileFields: ProfileFieldsConfig,
  metaApiOrigin?: string,
  launchWhatsAppWeb?: boolean,
): Promise<RunningService> {
  const SHOP_NAME = config.SHOP_NAME;
  let publicUrl = config.PUBLIC_URL;
  // The case templates (crm/case-templates.yaml or CASE_TEMPLATES_FILE), checked before anything is served.
  const caseTemplates = await loadCaseTemplates(config.CASE_TEMPLATES_FILE);
  const products = new ProductCatalogue(database.db);
  const claims = new CustomerClaims(database.db);
  const conversations = new ConversationRepository(database.db);
  const intents = await loadIntentFiles();
  const metrics = createMetrics();
  const nlu = meteredNlu(await createNluEngine(config, { intents, catalogue: await products.all() }), config.NLU_PROVIDER, metrics);
  const unsentEffects = new ConversationEffects(database.db);
  const outbox = new DevOutbox(new OutboxMessages(database.db), (entry) => {
    // Development only: the code is in the outbox anyway; the recipient is never logged.
    log.info({ outboxId: entry.id, transport: entry.transport }, `development outbox: ${entry.logLine}`);
  }, () => unsentEffects.unsentNotifications());
  // Emails over SMTP and SMS through Twilio where configured; the outbox for the rest outside production.
  const notifications = createNotifications(config, outbox, log, twilioApiOrigin !== undefined ? { twilioApiOrigin } : {});
  // Verification budgets live in the database: a restart must not reset them and every instance shares them.
  const throttles = new ThrottleRepository(database.db);
  const verificationBudget = new VerificationBudget({
    counters: throttles,
    secret: secrets.sessionSecret,
    limits: { maxAttempts: config.OTP_MAX_ATTEMPTS, maxAttemptsPerIp: config.OTP_MAX_ATTEMPTS_PER_IP, sendsPerHour: config.OTP_SENDS_PER_HOUR },
  });
  const verifier = new CustomerVerifier({
    secret: secrets.sessionSecret,
    budget: verificationBudget,
    ttlSeconds: config.OTP_TTL_SECONDS,
    shopName: SHOP_NAME,
    // Outside production the development outbox stands in for an unconfigured transport (server/notifications.ts).
    smsDelivers: notificationTransports(config).sms !== null || config.NODE_ENV !== 'production',
  });
  const gate = new IdentityGate({
    claims,
    records: customerRecordSources(database.db),
    verifier,
    linkContact: (contactId, customerId) => conversations.linkCustomer(contactId, customerId),
    orderNumberPattern: config.ORDER_NUMBER_PATTERN,
  });
  // Articles live in the database (versioned; the shipped files are imported on first start).
  const knowledge = await openKnowledgeStore({ db: database.db, pubsub: state.pubsub, log, importShipped: config.SEED_DEMO });
  const generative = createGenerativeAnswerer(config, {
    publicUrl: () => publicUrl,
    shopName: SHOP_NAME,
    onFailure: (reason) => log.warn({ reason }, 'generative answer unavailable; quoting the article instead'),
  });
  const returns = await createReturnsServices(config, secrets.sessionSecret);
  const flows = buildFlows({ products, accounts: claims, feedback: new ArticleFeedback(database.db), gate, config, returns, state, shopName: SHOP_NAME,
    incidents: new Incidents(database.db),
    knowledge: knowledge.published,
    generative,
    // Known only after listening when PORT=0 (tests, benchmarks).
    publicUrl: () => publicUrl,
  });
  const dialogue = new DialogueManager({
    flows,
    actions: intentActions(intents),
    ...knowledgeHooks(flows),
    classify: (text, ctx) => nlu.parse(text, ctx.message.locale !== undefined ? { locale: ctx.message.locale } : {}),
    handoffTrigger: (input) => handoffPolicy.trigger(input),
  });
  // Started last before the turn: what fails earlier leaves no pg-boss timers on a closing database.
  const jobs = new JobQueue({ database, log });
  await jobs.start();
  // Every channel on one contract; the test channel only when configured (never in production).
  // SMS and WhatsApp through Twilio when its account is configured (docs/channels.md).
  // WhatsApp through Twilio: its templates (contentSid) checked at start-up, its 24-hour window for agents' replies.
  const twilioWhatsApp = await twilioWhatsAppFromConfig({ config, db: database.db, shopName: SHOP_NAME, log });
  const twilio = twilioChannelFromConfig({ config, db: database.db, publicUrl: () => publicUrl, shopName: SHOP_NAME, log, ...(twilioApiOrigin !== undefined ? { twilioApiOrigin } : {}), ...(twilioWhatsApp !== null ? { whatsappContentSid: twilioWhatsApp.contentSid } : {}), ...(now !== undefined ? { now } : {}) });
  // WhatsApp Cloud API, Messenger and Instagram where configured (docs/channels.md).
  const meta = await metaChannelsFromConfig({ config, db: database.db, shopName: SHOP_NAME, ...(metaApiOrigin !== undefined ? { metaApiOrigin } : {}), ...(now !== undefined ? { now } : {}) });
  // WhatsApp through whatsapp-web.js (WHATSAPP_WEB=true; config refuses it beside another WhatsApp connector).
  const whatsappWeb = await whatsAppWebFromConfig({ config, log, ...(launchWhatsAppWeb !== undefined ? { launch: launchWhatsAppWeb } : {}) });
  const channels = new ChannelRegistry({
    direct: [webchatChannel(state.pubsub), ...(twilio?.whatsapp ? [twilio.whatsapp] : []), ...(whatsappWeb !== null ? [whatsappWeb.plugin] : [])],
    connectors: [
      ...(config.TEST_CHANNEL_SECRET !== undefined && config.TEST_CHANNEL_OUTBOUND_URL !== undefined
        ? [testChannelConnector({ secret: config.TEST_CHANNEL_SECRET, outboundUrl: config.TEST_CHANNEL_OUTBOUND_URL })]
        : []),
      ...(twilio !== null ? [twilio.connector] : []),
      ...meta.connectors,
    ],
  });
  const outbound = await startOutboundDelivery({ db: database.db, jobs, senders: channels.senders(), log }).catch(
    async (error: unknown) => {
      await jobs.stop();
      throw error;
    },
  );
  // Emails and SMS a change decided are rows of its commit, run by these workers after it.
  const effects = await startConversationEffects({ db: database.db, jobs, outbound: outbound.queue, notifier: notifications.notifier, senders: channels.senders(), log, placeCase: botCasePlacement(caseTemplates) }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  // The one write path of every conversation: bot turns, agent actions and jobs share it.
  const liveFeed = new LiveFeed({ pubsub: state.pubsub, events: conversations, log });
  const writes = new ConversationWriter({
    locks: meteredLocks(state.locks, metrics),
    // A handoff's SLA checks are jobs stored with the handoff's commit.
    tracker: new ConversationTracker(conversations, new CountedEventWriter(metrics, database.db, new JobsInCommit(effects.recorder, jobs, (commits) => [...slaJobsOf(commits, (team, at) => handoffPolicy.nextResponseDue(team, at)), ...followUpJobsOf(commits)])), state.snapshots, log),
    conversations,
    feed: liveFeed,
    lockTtlMs: config.TURN_LOCK_TTL_MS,
  });
  const survey = new SatisfactionSurvey();
  const agentNames = new UserRepository(database.db);
  const agentActions = new AgentActions({
    writes,
    storedReplyTo: async (conversationId) => (await conversations.projection(conversationId))?.replyTo ?? null,
    afterResolve: (state, at) => survey.ask(state, at),
    episodeLog: (id) => conversations.loadEvents(id),
    joinedText: async (agentId) => AGENT_ACTION_COPY.joined(firstNameOf((await agentNames.names([agentId])).get(agentId) ?? ''), SHOP_NAME),
    ...agentChannelRules(meta, twilioWhatsApp),
    ...(now !== undefined ? { now } : {}),
  });
  const slaChecks = await startSlaChecks({ writes, events: (id, afterSeq) => conversations.loadEvents(id, afterSeq), jobs, log, ...(now !== undefined ? { now } : {}) }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  const nextResponseChecks = await startNextResponseChecks({ writes, events: (id) => conversations.loadEvents(id), jobs, log, ...(now !== undefined ? { now } : {}) }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  const followUps = new FollowUps({ writes, events: (id) => conversations.loadEvents(id), slaDue: (team, at) => handoffPolicy.slaDue(team, at), ...(now !== undefined ? { now } : {}) });
  await startFollowUps({ jobs, followUps }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  // The shop's order events become notices for customers who consented (docs/channels.md).
  const proactiveWhatsAppNotices = proactiveWhatsApp({ meta, twilio: twilioWhatsApp, senders: channels.senders(), db: database.db, ...(now !== undefined ? { now } : {}) });
  const proactive = new ProactiveUpdates({
    ...(proactiveWhatsAppNotices !== undefined ? { whatsapp: proactiveWhatsAppNotices } : {}),
    db: database.db,
    jobs,
    notifier: notifications.notifier,
    quietHours: parseQuietHours(config.PROACTIVE_QUIET_HOURS, config.SHOP_TIME_ZONE),
    shopName: SHOP_NAME,
    timeZone: config.SHOP_TIME_ZONE,
    log,
    ...(now !== undefined ? { now } : {}),
  });
  await proactive.start().catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  const cases = await startCases({ db: database.db, jobs, notifier: notifications.notifier, templates: caseTemplates, shopName: SHOP_NAME, log, publicUrl: () => publicUrl, secret: secrets.sessionSecret, ...(now !== undefined ? { now } : {}) }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  const vip = new AgentQueueReads(database.db);
  const crossChannel = new CrossChannelContinuation(database.db, new PhoneDirectory(database.db));
  const turns = new TurnProcessor({
    handoffs: new HandoffDesk(handoffPolicy, (customerId) => vip.isVip(customerId)),
    waiting: new WaitingRoom(handoffPolicy, (place) => queuePosition(database.db, place)),
    survey,
    state,
    stored: conversations,
    // A customer known on another channel continues their open conversation there (bots/cross-channel.ts).
    routes: new ConversationRoutes(conversations, state.snapshots, (contact, channel, senderId) => crossChannel.conversationFor(contact, channel, senderId)),
    writes,
    nlu,
    // Who is writing (a phone number on file) and "text me updates" before the dialogue, then a
    // resolved case's satisfaction rating sent by SMS or email (crm/case-csat-replies.ts).
    dialogue: new WhoIsWriting({ dialogue: new CaseSatisfactionReplies({ dialogue, csat: cases.csat }), phones: new PhoneDirectory(database.db), recordConsent: (change) => new Consents(database.db).record([change]), isVip: (customerId) => vip.isVip(customerId) }),
    log,
    verificationTtlMs: config.VERIFICATION_TTL_HOURS * 60 * 60 * 1000,
    ...(now !== undefined ? { now } : {}),
  });
  // What channels hand their messages to: the turn, timed (GET /metrics).
  const channelTurns = meteredTurns(turns, metrics);
  // Webhook channels' turns run from the queue, after the provider was acknowledged.
  const inbound = await startInboundProcessing({
    db: database.db,
    jobs,
    turns: channelTurns,
    isOwnMessage: (channel, providerMessageId) => outbound.messages.isOwnMessage(channel, providerMessageId),
    log,
  }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  const sessions = new WebchatSessions({
    secret: secrets.sessionSecret,
    previousSecrets: secrets.previousSessionSecrets,
    ttlHours: config.WEBCHAT_TOKEN_TTL_HOURS,
    ...(now !== undefined ? { now } : {}),
  });
  const trustProxy = compileTrustProxy(config.TRUST_PROXY);
  // Accounts, sessions, the /api/agent routes, its socket and the /agent page.
  const agentConsole = await createAgentConsole({
    config,
    db: database.db,
    state,
    throttles,
    sessionSecret: secrets.sessionSecret,
    conversations,
    liveFeed,
    actions: agentActions,
    followUps,
    nextResponseDue: (team, at) => handoffPolicy.nextResponseDue(team, at),
    // The bot's verifier, budgets, identity gate and return policy: an agent gets no other rules.
    customer: {
      verification: new AgentVerification({
        writes,
        verifier,
        budget: verificationBudget,
        claims,
        questions: new SecurityQuestions(database.db),
        events: (id) => conversations.loadEvents(id),
        storedReplyTo: async (id) => (await conversations.projection(id))?.replyTo ?? null,
        linkContact: (contactId, customerId) => conversations.linkCustomer(contactId, customerId),
        ...(now !== undefined ? { now } : {}),
      }),
      orderActions: new AgentOrderActions({
        writes,
        gate,
        returns,
        publicUrl: () => publicUrl,
        storedReplyTo: async (id) => (await conversations.projection(id))?.replyTo ?? null,
        verificationTtlMs: config.VERIFICATION_TTL_HOURS * 60 * 60 * 1000,
        shopName: SHOP_NAME,
        ...(now !== undefined ? { now } : {}),
      }),
    },
    jobs,
    publicUrl: () => publicUrl,
    retriever: () => knowledge.published.current().retriever,
    cannedResponses,
    profileFields,
    cases,
    shopName: SHOP_NAME,
    log,
    ...(now !== undefined ? { now } : {}),
  }).catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  let shuttingDown = false;
  const counted = async <T>(backend: 'database' | 'state', check: () => Promise<T>): Promise<T> =>
    check().catch((error: unknown) => {
      metrics.backendErrors.inc({ backend });
      throw error;
    });
  const capacity = new AcceptCapacity({ readDescriptors: readProcDescriptors, log });
  const app = createApp(
    {
      health: healthRouter(
        [
          { name: 'database', check: () => counted('database', () => database.ping()) },
          { name: 'state', check: () => counted('state', () => state.ping()) },
        ],
        () => shuttingDown,
        capacity,
      ),
      webchat: webchatRouter({
        sessions,
        turns: channelTurns,
        conversations,
        counters: state.counters,
        holderName: (id) => agentConsole.activity.holderName(id),
        limits: {
          messagesPerMinute: config.WEBCHAT_MESSAGES_PER_MINUTE,
          messagesPerMinutePerIp: config.WEBCHAT_MESSAGES_PER_MINUTE_PER_IP,
          sessionsPerHourPerIp: config.WEBCHAT_SESSIONS_PER_HOUR,
        },
      }),
      admin: adminRouter({ db: database.db, adminToken: secrets.adminToken, deadJobs: jobs.deadLetters, shopEvents: shopEventsRouter({ secret: config.SHOP_EVENTS_SECRET, updates: proactive, ...(now !== undefined ? { now } : {}) }), importNotices: proactive }),
      editor: editorRouter({ articles: knowledge.articles, published: knowledge.published, authorize: adminTokenEditor(secrets.adminToken) }),
      help: helpPagesRouter({ articles: knowledge.articles, shopName: SHOP_NAME }),
      accountReset:
        config.PASSWORD_RESET_URL === undefined
          ? accountResetRouter({ tokens: new PasswordResetTokens(state.snapshots), credentials: new CustomerCredentials(database.db), counters: state.counters, publicUrl: () => publicUrl, shopName: SHOP_NAME })
          : null,
      devOutbox: config.DEV_OUTBOX ? devOutboxRouter(outbox, { public: config.DEV_OUTBOX_PUBLIC }) : null,
      returnLabels: returnLabelRouter({ ...returns, returns: new ReturnRepository(database.db), shopName: SHOP_NAME }),
      caseSatisfaction: caseSatisfactionRouter({ csat: cases.csat, publicUrl: () => publicUrl, shopName: SHOP_NAME }),
      channels: channels.router({
        inbound: inbound.intake,
        reports: {
          record: async (channel, report) => {
            // Unsubscribed (Twilio 21610 on a status callback): recorded before the row, so nothing more is sent to the number.
            if (report.unsubscribed !== undefined) await recordOptOut(database.db, channel, report.unsubscribed.address, 'twilio_21610');
            await outbound.messages.recordReport(channel, report.providerMessageId, report.report, report.unsubscribed !== undefined ? 'opted_out' : 'undelivered');
          },
        },
        publicBaseUrl: () => publicUrl,
        log,
      }),
      metrics: metricsRouter({
        registry: metrics.registry,
        token: config.METRICS_TOKEN,
        refresh: async () => {
          metrics.openSockets.set(sockets.held());
          await refreshDatabaseGauges(database.db, metrics);
        },
      }),
      agentApi: agentConsole.api,
      agentConsole: agentConsole.page,
      whatsappWebAdmin: whatsappWeb !== null ? whatsAppWebAdminRouter({ session: whatsappWeb.session, currentUser: (cookie) => agentConsole.currentUser(cookie) }) : null,
    },
    log,
    trustProxy,
  );
  const server = http.createServer(app);
  // Slow clients must not hold sockets forever (slowloris).
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  // Every WebSocket endpoint (the widget's; the agent console's later) registers here, the one owner of 'upgrade'.
  const sockets = new SocketEndpoints({ log, trust: trustProxy, limits: { perIp: config.SOCKETS_PER_IP, total: config.SOCKETS_TOTAL } });
  // The customer's typing reaches the agents of their conversation (server/agent/customer-typing.ts).
  const customerTyping = new CustomerTyping({
    pubsub: state.pubsub,
    counters: state.counters,
    conversationOf: async (visitorId) => {
      const contact = await conversations.lookupContact('webchat', visitorId);
      const row = contact === null ? null : await conversations.latestConversation(contact.contactId, 'webchat');
      return row === null ? null : { id: row.id, status: row.status, team: row.team, lastSeq: row.last_seq };
    },
    ...(now !== undefined ? { now } : {}),
  });
  const widgetSocket = webchatSocket({ sessions, pubsub: state.pubsub, customerTyping: (visitorId) => customerTyping.fromWidget(visitorId) });
  sockets.register(widgetSocket);
  sockets.register(agentConsole.socket);
  sockets.attach(server);
  const throttleSweeper = startThrottleSweeper(throttles, {
    intervalMs: 10 * 60 * 1000,
    onError: (error) => log.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'could not sweep expired throttle counters'),
  });
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening').catch(async (error: unknown) => {
    await jobs.stop();
    throw error;
  });
  capacity.watch(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${port}`;
  // PORT=0 (tests, benchmarks): the listening URL, unless PUBLIC_URL was set (a test behind a proxy, signing for the public URL).
  publicUrl = config.PORT === 0 && config.PUBLIC_URL === 'http://localhost:0' ? url : config.PUBLIC_URL;
  // Its messages go to the same queue as the webhooks'; the browser starts once the QR page is served.
  whatsappWeb?.connect({
    inbound: inbound.intake,
    reports: { record: async (channel, report) => void (await outbound.messages.recordReport(channel, report.providerMessageId, report.report)) },
  });

  return {
    url,
    urls: {
      chatDemo: `${publicUrl}/`,
      devOutbox: config.DEV_OUTBOX ? `${publicUrl}${DEV_OUTBOX_PATH}` : null,
      health: `${publicUrl}/healthz`,
      whatsappWebAdmin: whatsappWeb !== null ? `${publicUrl}/admin/whatsapp-web` : null,
    },
    devOutboxPublic: config.DEV_OUTBOX_PUBLIC,
    database,
    state,
    log,
    jobs,
    agentActions,
    slaChecks,
    nextResponseChecks,
    followUps,
    proactive,
    cases,
    liveFeed,
    agentConsole: { url: `${publicUrl}/agent`, demoAgents: agentConsole.demoAgents, prepare: agentConsole.prepare },
    offers: agentConsole.routing.offers,
    turns,
    http: { app, socketPaths: sockets.paths() },
    generatedAdminToken: secrets.generatedAdminToken,
    whatsappWeb,
    close: async () => {
      if (shuttingDown) return;
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // No more WhatsApp Web messages taken; the session stays stored for the next start.
      await whatsappWeb?.close();
      await sockets.close();
      await widgetSocket.close();
      await agentConsole.socket.close();
      await turns.drain();
      // Routing rounds and offer timeouts stop before the queue they use.
      await agentConsole.close();
      // Before the state backend and the database: running deliveries publish and write.
      await jobs.stop();
      throttleSweeper.stop();
      server.closeAllConnections();
      await closed;
      await knowledge.close();
      notifications.close();
      await state.close();
      await database.close();
    },
  };
}
