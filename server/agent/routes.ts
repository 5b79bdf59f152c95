import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import {
  AGENT_SESSION_COOKIE,
  ALL_TEAMS_ROLES,
  AgentRoutingBodySchema,
  PresenceBodySchema,
  AgentMessageBodySchema,
  AgentTemplateBodySchema,
  AgentNoteBodySchema,
  DraftBodySchema,
  LoginBodySchema,
  QueueQuerySchema,
  ResolveBodySchema,
  SnoozeBodySchema,
  FollowUpBodySchema,
  TransferBodySchema,
  type AgentProfile,
  type ListedConversation,
} from '../../core/agent-api.js';
import type { ConversationState } from '../../core/conversation-state.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import type { AgentQueueReads, ConversationHeader, TeamScope } from '../../db/agent-queue.js';
import type { StoredEvent } from '../../db/conversations.js';
import type { UserRepository } from '../../db/users.js';
import type { AgentPresenceRepository } from '../../db/agent-presence.js';
import type { AgentViewRepository } from '../../db/agent-views.js';
import { effectiveStatus, type AgentPresence } from '../../handoff/presence.js';
import type { OfferActions } from '../../handoff/routing-offers.js';
import type { AgentActionResult, AgentActions } from '../../handoff/agent-actions.js';
import { assertAccess, maySee, mayUseConsole, type AgentAccess } from '../../handoff/agent-access.js';
import { snoozeConversation } from '../../handoff/snooze.js';
import type { FollowUps } from '../../handoff/follow-ups.js';
import type { ContextPackageDeps } from './context-package.js';
import { conversationDetail, type ConversationViewDeps } from './conversation-view.js';
import type { LoginThrottle } from './login-throttle.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { readCookie, type AgentSessions } from './sessions.js';
import { isOwnOrigin } from './origin.js';
import { customerRoutes, type CustomerRouteDeps } from './verification-routes.js';
import { profileRoutes, type ProfileRouteDeps } from './profile-routes.js';
import { caseRoutes, type CaseModule } from './case-routes.js';
import type { ReplyTools } from './reply-tools.js';
import { suggestArticles } from './suggestions.js';

export interface AgentRouterDeps {
  users: Pick<UserRepository, 'byEmail' | 'account' | 'names' | 'setRoutingSettings'>;
  sessions: AgentSessions;
  throttle: LoginThrottle;
  queue: AgentQueueReads;
  /** How far each agent has read each conversation (unread counts). */
  views: Pick<AgentViewRepository, 'markViewed' | 'unread'>;
  actions: AgentActions;
  /** Follow-up reminders; without them the follow-up routes are absent. */
  followUps?: FollowUps;
  /** Presence and heartbeats (handoff/presence.ts). */
  presence: AgentPresence;
  /** Accepting and declining routing's offers. */
  offers: Pick<OfferActions, 'accept' | 'decline'>;
  /** Everyone's presence and routing settings (the supervisor's view). */
  presenceStore: Pick<AgentPresenceRepository, 'everyone'>;
  /** The offers open to an agent (part of their load). */
  offersTo(agentId: string): Promise<readonly unknown[]>;
  awayAfterMs: number;
  events(conversationId: string): Promise<StoredEvent[]>;
  /** The service's public base URL (known only after listening with PORT=0). */
  publicUrl(): string;
  verificationTtlMs: number;
  /** Verifying the customer and acting for them (verification-routes.ts); without it those routes are absent. */
  customer?: Pick<CustomerRouteDeps, 'verification' | 'orderActions'>;
  /** Customer profiles (server/agent/profile-routes.ts); without them those routes are absent. */
  profiles?: Pick<ProfileRouteDeps, 'db' | 'profiles' | 'association'>;
  /** Cases (server/agent/case-routes.ts); without them those routes are absent. */
  cases?: CaseModule;
  /** The context package's reads and summarizer (server/agent/context-package.ts). */
  context: ContextPackageDeps;
  /** Canned responses, article suggestions and drafts for the Reply box. */
  replyTools: ReplyTools;
  now?: () => Date;
}

const ConversationIdSchema = z.uuid();

/** The signed-in console user of a request (set by `authenticated`). */
const signedIn = new WeakMap<Request, AgentProfile>();

/**
 * `/api/agent/*` (docs/agents.md; each route's doc is in ./api-docs.ts). Every route but login needs a session
 * cookie of a user whose role may use the console; every state-changing call must come from the
 * service's own Origin (CSRF, on top of SameSite=Strict); every conversation route is authorised
 * by role and team (`handoff/agent-access.ts`), once on the projection and again under the
 * conversation's lock, so a transfer or claim in between cannot widen access. A conversation
 * outside the user's queues answers 404, as an unknown id does.
 */
export function agentRouter(deps: AgentRouterDeps): Router {
  const router = Router();
  router.use((req, res, next) => {
    // Queues and transcripts are personal data: never cached by a browser or a proxy.
    res.set('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !isOwnOrigin(req, deps.publicUrl())) {
      next(new SwitchboardError('SB_ERR_FORBIDDEN', "The request's Origin is not this service's: state-changing calls must come from the console's own page"));
      return;
    }
    next();
  });

  router.post('/login', async (req, res) => {
    const body = parseBody(LoginBodySchema, req.body);
    const ip = req.ip ?? 'unknown';
    await deps.throttle.check(body.email, ip);
    const found = await deps.users.byEmail(body.email.toLowerCase());
    // Unknown addresses cost one hash check too, so timing does not tell which accounts exist.
    const matches = await verifyPassword(found?.passwordHash ?? (await decoyHash()), body.password);
    if (found === null || !matches) {
      await deps.throttle.recordFailure(body.email, ip);
      throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'The email or password is not right');
    }
    if (!mayUseConsole(found.profile)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'This account cannot use the agent console');
    const session = await deps.sessions.create(found.profile.id);
    // Signing in is coming to work, as signing out is leaving: online until they choose otherwise.
    await deps.presence.set(found.profile.id, 'online');
    res.cookie(AGENT_SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.publicUrl().startsWith('https:'),
      path: '/',
      maxAge: deps.sessions.ttlMs,
    });
    res.json({ agent: found.profile });
  });

  router.post('/logout', async (req, res) => {
    const token = readCookie(req.get('cookie'), AGENT_SESSION_COOKIE);
    if (token !== undefined) {
      // Signing out is leaving: routing offers them nothing more.
      const session = await deps.sessions.find(token);
      if (session !== null) await deps.presence.set(session.userId, 'offline');
      await deps.sessions.end(token);
    }
    res.clearCookie(AGENT_SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: deps.publicUrl().startsWith('https:'), path: '/' });
    res.status(204).end();
  });

  // Who is signed in, or nobody: what the console asks on load (200 either way, not a failed request).
  router.get('/session', async (req, res) => {
    const agent = await currentAgent(deps, req.get('cookie'));
    res.json({ agent: agent !== null && mayUseConsole(agent) ? agent : null });
  });

  const authenticated: RequestHandler = async (req, _res, next) => {
    const agent = await currentAgent(deps, req.get('cookie'));
    if (agent === null) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'Sign in at /agent first');
    if (!mayUseConsole(agent)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'This account cannot use the agent console');
    signedIn.set(req, agent);
    next();
  };
  router.use(authenticated);

  router.get('/queue', async (req, res) => {
    const agent = agentOf(req);
    const parsed = QueueQuerySchema.safeParse(req.query);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The queue query is invalid', detailsFromZodIssues(parsed.error.issues, 'query'));
    const headers = await deps.queue.queue(scopeOf(agent), parsed.data);
    const [names, unread] = await Promise.all([
      deps.users.names(headers.flatMap((h) => (h.assigneeId !== null ? [h.assigneeId] : []))),
      deps.views.unread(agent.id, headers.map((h) => h.id)),
    ]);
    const conversations: ListedConversation[] = headers.map(({ contactId: _c, customerId: _cu, ...h }) => ({
      ...h,
      assigneeName: h.assigneeId !== null ? (names.get(h.assigneeId) ?? null) : null,
      unread: unread.get(h.id) ?? 0,
    }));
    res.json({ conversations });
  });

  // The Reply box's tools (server/agent/reply-tools.ts): read-only, authorised as viewing the conversation.
  // What conversationDetail reads, the same for the conversation view and the Reply box's tools.
  const viewDeps: ConversationViewDeps = {
    events: deps.events,
    names: (ids) => deps.users.names(ids),
    customerSummary: (id) => deps.queue.customerSummary(id),
    verificationTtlMs: deps.verificationTtlMs,
    context: deps.context,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  };
  const detailOf = async (agent: AgentProfile, rawId: string | string[] | undefined) => conversationDetail(await visibleHeader(deps, agent, rawId, 'view'), viewDeps);
  const suggestionsFor = (detail: Awaited<ReturnType<typeof detailOf>>) => suggestArticles(detail, { retriever: deps.replyTools.retriever, publicUrl: deps.publicUrl });
  router.get('/canned-responses', (req, res) => {
    res.json({ responses: deps.replyTools.canned.visibleTo(agentOf(req)) });
  });
  router.get('/conversations/:id/canned-responses', async (req, res) => {
    const agent = agentOf(req);
    res.json({ responses: deps.replyTools.canned.renderFor(agent, await detailOf(agent, req.params.id), deps.replyTools.shopName) });
  });
  router.get('/conversations/:id/suggestions', async (req, res) => {
    res.json(await suggestionsFor(await detailOf(agentOf(req), req.params.id)));
  });
  router.post('/conversations/:id/draft', async (req, res) => {
    const detail = await detailOf(agentOf(req), req.params.id);
    parseBody(DraftBodySchema, req.body);
    res.json(await deps.replyTools.drafts.draft(detail, (await suggestionsFor(detail)).articles));
  });

  router.get('/conversations/:id', async (req, res) => {
    const agent = agentOf(req);
    const header = await visibleHeader(deps, agent, req.params.id, 'view');
    const detail = await conversationDetail(header, viewDeps);
    // Opening it is reading it: up to the newest message this answer shows.
    const seen = Math.max(header.lastSeq, ...detail.transcript.map((t) => t.seq));
    await deps.views.markViewed(agent.id, header.id, seen, deps.now?.() ?? new Date());
    res.json(detail);
  });

  const action = (access: AgentAccess, run: (agent: AgentProfile, id: string, body: unknown, guard: (state: ConversationState) => void) => Promise<AgentActionResult>) =>
    (async (req: Request, res: Response) => {
      const agent = agentOf(req);
      const header = await visibleHeader(deps, agent, req.params.id, access);
      const guard = (state: ConversationState): void => assertAccess(agent, { status: state.status, team: state.team, assigneeId: state.assigneeId }, access);
      res.json(resultOf(await run(agent, header.id, req.body, guard)));
    }) satisfies RequestHandler;

  // Presence: what the agent chose, their heartbeat (auto-away), load and open offers.
  router.get('/presence', async (req, res) => {
    res.json(await deps.presence.of(agentOf(req).id));
  });
  router.post('/presence', async (req, res) => {
    res.json(await deps.presence.set(agentOf(req).id, parseBody(PresenceBodySchema, req.body).status));
  });
  router.post('/heartbeat', async (req, res) => {
    res.json(await deps.presence.heartbeat(agentOf(req).id));
  });

  // The supervisor's view: every console user's presence and load, and what routing may give them.
  router.get('/agents', async (req, res) => {
    assertSupervises(agentOf(req));
    const now = deps.now?.() ?? new Date();
    const everyone = await deps.presenceStore.everyone();
    const agents = await Promise.all(
      everyone.map(async (u) => ({
        id: u.id,
        name: u.name,
        teams: u.teams,
        status: effectiveStatus(u.presence, now, deps.awayAfterMs),
        chosen: u.presence?.status ?? 'offline',
        lastSeenAt: u.presence?.lastSeenAt.toISOString() ?? null,
        capacity: u.settings.capacity,
        skills: u.settings.skills,
        load: u.held + (await deps.offersTo(u.id)).length,
      })),
    );
    res.json({ agents });
  });
  router.post('/agents/:id/routing', async (req, res) => {
    assertSupervises(agentOf(req));
    const body = parseBody(AgentRoutingBodySchema, req.body);
    const id = typeof req.params.id === 'string' ? req.params.id : '';
    if (!(await deps.users.setRoutingSettings(id, body))) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such user');
    res.status(204).end();
  });

  router.post('/conversations/:id/accept', action('claim', (agent, id, _body, guard) => deps.offers.accept(id, agent.id, guard)));
  router.post('/conversations/:id/decline', action('claim', (agent, id, _body, guard) => deps.offers.decline(id, agent.id, guard)));
  router.post('/conversations/:id/claim', action('claim', (agent, id, _body, guard) => deps.actions.claim(id, agent.id, guard)));
  router.post('/conversations/:id/messages', action('reply', (agent, id, body, guard) => {
    const { text, channel } = parseBody(AgentMessageBodySchema, body);
    return deps.actions.agentSay(id, agent.id, text, guard, channel);
  }));
  router.post('/conversations/:id/templates', action('reply', (agent, id, body, guard) => deps.actions.agentSendTemplate(id, agent.id, parseBody(AgentTemplateBodySchema, body).template, guard)));
  router.post('/conversations/:id/notes', action('note', (agent, id, body, guard) => deps.actions.addNote(id, agent.id, parseBody(AgentNoteBodySchema, body).text, guard)));
  router.post('/conversations/:id/resolve', action('resolve', (agent, id, body, guard) => deps.actions.resolveWithDisposition(id, agent.id, parseBody(ResolveBodySchema, body), guard)));
  router.post('/conversations/:id/release', action('release', (agent, id, _body, guard) => deps.actions.returnToBot(id, agent.id, guard)));
  router.post(
    '/conversations/:id/snooze',
    action('snooze', (agent, id, body, guard) => {
      const { until } = parseBody(SnoozeBodySchema, body);
      return snoozeConversation(deps.actions.writes, id, agent.id, new Date(until), { guard, ...(deps.now !== undefined ? { now: deps.now } : {}) });
    }),
  );
  router.post(
    '/conversations/:id/transfer',
    action('transfer', async (agent, id, body, guard) => {
      const move = parseBody(TransferBodySchema, body);
      if (move.agentId === undefined) return deps.actions.transfer(id, agent.id, { team: move.team, reason: move.reason, level: move.level }, guard);
      // To a person: someone who uses the console and works this conversation's queue, checked under its lock.
      const target = await deps.users.account(move.agentId);
      if (target === null || !mayUseConsole(target.profile)) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such agent');
      const both = (state: ConversationState): void => {
        guard(state);
        if (!maySee(target.profile, { team: state.team })) throw new SwitchboardError('SB_ERR_CONFLICT', `${target.profile.name} does not work this conversation's queue: transfer it to the team instead`);
      };
      return deps.actions.transfer(id, agent.id, { toAgentId: target.profile.id, reason: move.reason, level: move.level }, both);
    }),
  );
  const { followUps } = deps;
  if (followUps !== undefined) {
    // Whoever may add a note may set or cancel a reminder; checked again under the conversation's lock.
    router.post('/conversations/:id/follow-up', async (req, res) => {
      const agent = agentOf(req);
      const header = await visibleHeader(deps, agent, req.params.id, 'note');
      const body = parseBody(FollowUpBodySchema, req.body);
      res.json(await followUps.set(header.id, agent.id, body, (state) => assertAccess(agent, { status: state.status, team: state.team, assigneeId: state.assigneeId }, 'note')));
    });
    router.delete('/conversations/:id/follow-up', async (req, res) => {
      const agent = agentOf(req);
      const header = await visibleHeader(deps, agent, req.params.id, 'note');
      await followUps.cancel(header.id, agent.id, (state) => assertAccess(agent, { status: state.status, team: state.team, assigneeId: state.assigneeId }, 'note'));
      res.status(204).end();
    });
  }
  if (deps.customer !== undefined) customerRoutes(router, { ...deps.customer, agentOf, visibleHeader: (agent, id) => visibleHeader(deps, agent, id, 'reply') });
  if (deps.cases !== undefined) caseRoutes(router, { ...deps.cases, agentOf });
  if (deps.profiles !== undefined) profileRoutes(router, { ...deps.profiles, events: deps.events, agentOf, visibleHeader: (agent, id, access) => visibleHeader(deps, agent, id, access) });
  return router;
}

/**
 * The console user behind a Cookie header, or null: no cookie, an unknown or ended session, a
 * deleted user, or a session that began before the user's password last changed (a password
 * change signs every session out).
 */
export async function currentAgent(deps: Pick<AgentRouterDeps, 'sessions' | 'users'>, cookieHeader: string | undefined): Promise<AgentProfile | null> {
  const session = await deps.sessions.find(readCookie(cookieHeader, AGENT_SESSION_COOKIE));
  if (session === null) return null;
  // Read each time: a changed role or team, or a deleted user, counts at once.
  const account = await deps.users.account(session.userId);
  if (account === null || Date.parse(session.createdAt) < account.passwordChangedAt.getTime()) {
    await deps.sessions.end(session.token);
    return null;
  }
  return account.profile;
}

export function scopeOf(agent: AgentProfile): TeamScope {
  return ALL_TEAMS_ROLES.includes(agent.role) ? { kind: 'all' } : { kind: 'teams', teams: agent.teams };
}

function assertSupervises(agent: AgentProfile): void {
  if (!ALL_TEAMS_ROLES.includes(agent.role)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'Only supervisors and admins see and change other agents');
}

function agentOf(req: Request): AgentProfile {
  const agent = signedIn.get(req);
  if (agent === undefined) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED');
  return agent;
}

async function visibleHeader(deps: AgentRouterDeps, agent: AgentProfile, rawId: string | string[] | undefined, access: AgentAccess): Promise<ConversationHeader> {
  const id = ConversationIdSchema.safeParse(rawId);
  const header = id.success ? await deps.queue.header(id.data) : null;
  assertAccess(agent, header, access);
  // assertAccess threw for null.
  return header as ConversationHeader;
}

function resultOf(result: AgentActionResult): AgentActionResult {
  return { conversationId: result.conversationId, status: result.status, assigneeId: result.assigneeId, seqs: result.seqs };
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid', detailsFromZodIssues(parsed.error.issues, 'body'));
  return parsed.data;
}
