import { z } from 'zod';
import { apiDocs, type ApiResponseDoc, type ApiRouteDoc } from '../../core/api-doc.js';
import {
  ActionResultSchema,
  AgentMessageBodySchema,
  AgentTemplateBodySchema,
  AgentNoteBodySchema,
  AgentRoutingBodySchema,
  AgentsPresenceSchema,
  AGENT_SOCKET_PATH,
  CannedResponsesSchema,
  ConversationDetailSchema,
  DraftBodySchema,
  DraftSchema,
  RenderedCannedResponsesSchema,
  SuggestionsSchema,
  LoginBodySchema,
  LoginResultSchema,
  PresenceBodySchema,
  PresenceSchema,
  QueueQuerySchema,
  QueueSchema,
  ResolveBodySchema,
  SessionSchema,
  SnoozeBodySchema,
  FollowUpBodySchema,
  FollowUpSchema,
  TransferBodySchema,
} from '../../core/agent-api.js';

/**
 * The docs of `/api/agent/*` (server/agent/routes.ts), one entry per route, kept beside the
 * routes in their own file so the router stays readable. Adding a route: add its entry here with
 * the schemas the route validates with; server/openapi/coverage.test.ts fails until you do.
 */

const conversationId = z.object({ id: z.uuid() });
const notVisible = 'Unknown, or not in one of the user\'s queues (the same answer).';
const foreignOrigin = 'Foreign or missing Origin (SB_ERR_FORBIDDEN).';
const notHolder = "Foreign or missing Origin, or another agent holds the conversation and this action is its holder's or a supervisor's (SB_ERR_FORBIDDEN).";
const done: ApiResponseDoc = { description: "Done; the conversation's status and holder after it.", json: ActionResultSchema };
const presence: ApiResponseDoc = { description: "The agent's presence, load and open offers.", json: PresenceSchema };

/** A conversation action: `POST /conversations/:id/<verb>` answering the action result (one line per action below). */
export function conversationAction(verb: string, summary: string, extra: Partial<ApiRouteDoc> & { conflict?: string; forbidden?: string } = {}): ApiRouteDoc {
  const { conflict, forbidden, ...rest } = extra;
  const responses: Record<number, ApiResponseDoc> = { 200: done, 401: 'No valid session.', 403: forbidden ?? notHolder, 404: notVisible };
  if (rest.body !== undefined) responses[400] = 'The body is invalid (SB_ERR_VALIDATION; details name the field).';
  if (conflict !== undefined) responses[409] = conflict;
  return {
    method: 'post',
    path: `/conversations/:id/${verb}`,
    summary,
    security: 'agentSession',
    params: conversationId,
    ...rest,
    responses,
  };
}

/** A reply the channel's messaging window refuses (WhatsApp, Messenger, Instagram; docs/channels.md). */
function withOutsideWindow(route: ApiRouteDoc): ApiRouteDoc {
  return {
    ...route,
    responses: {
      ...route.responses,
      422: "The customer's messaging window is closed (SB_ERR_OUTSIDE_WINDOW; the message says when they last wrote), the channel has no templates (SB_ERR_POLICY), or the chosen channel is not one the customer used here (SB_ERR_VALIDATION). Nothing was stored.",
    },
  };
}

export const agentApiDocs = apiDocs('/api/agent', 'Agent console', [
  {
    method: 'post',
    path: '/login',
    summary: 'Sign in to the agent console; sets the session cookie.',
    description:
      'Roles agent, supervisor and admin may sign in (editor: 403). A wrong password and an unknown email answer the same 401. Failed ' +
      'attempts are counted per account and per client IP (AGENT_LOGIN_MAX_ATTEMPTS, AGENT_LOGIN_MAX_ATTEMPTS_PER_IP per 15 minutes, in the ' +
      "database); once spent, every attempt answers 429 with Retry-After, the right password too. Needs the service's own Origin.",
    body: LoginBodySchema,
    responses: {
      200: { description: 'Signed in.', json: LoginResultSchema, headers: { 'Set-Cookie': 'sb_agent_session=…; HttpOnly; SameSite=Strict; Path=/' } },
      400: 'The body is invalid.',
      401: 'Wrong email or password (the same answer for both).',
      403: 'A foreign Origin, or an account that cannot use the console.',
      429: { description: 'Too many failed sign-ins for this account or from this address.', headers: { 'Retry-After': 'Seconds to wait.' } },
    },
  },
  {
    method: 'post',
    path: '/logout',
    summary: 'End the session (on every instance) and clear the cookie.',
    responses: { 204: 'Signed out (also when there was no session).', 403: foreignOrigin },
  },
  {
    method: 'get',
    path: '/session',
    summary: 'Who is signed in (the console asks on load); `{ agent: null }` for nobody.',
    responses: { 200: { description: 'The signed-in user, or null.', json: SessionSchema } },
  },
  {
    method: 'get',
    path: '/queue',
    summary: "Handed-off conversations (queued and assigned) in the user's queues, most urgent and longest waiting first.",
    description:
      "Agents see their teams' conversations and the unrouted ones (team null); supervisors and admins every team's. Filters combine (all " +
      'must hold); a list is comma-separated or the parameter repeated. An unknown parameter or value is a 400 (SB_ERR_VALIDATION) naming ' +
      'it. At most 500 entries. `unread` counts, per entry, the customer messages since the signed-in user last opened the conversation ' +
      '(`GET /conversations/:id` marks it read; every customer message when they never did).',
    security: 'agentSession',
    query: QueueQuerySchema,
    responses: { 200: { description: 'The queue.', json: QueueSchema }, 400: 'An unknown query parameter or value.', 401: 'No valid session.', 403: 'Not a console user.' },
  },
  {
    method: 'get',
    path: '/conversations/:id',
    summary: 'One conversation with its transcript, internal notes, what the bot understood and tried, and the verified customer (only if verified).',
    description: "Reading it marks it read for the signed-in user (the queue's `unread` for it drops to 0). `outcomes` lists each resolution's disposition, steps and links.",
    security: 'agentSession',
    params: conversationId,
    responses: { 200: { description: 'The conversation.', json: ConversationDetailSchema }, 401: 'No valid session.', 404: notVisible },
  },
  {
    method: 'get',
    path: '/canned-responses',
    summary: "The canned responses of the user's teams and those for every team (supervisors and admins: all), placeholders unfilled.",
    security: 'agentSession',
    responses: { 200: { description: 'The canned responses.', json: CannedResponsesSchema }, 401: 'No valid session.' },
  },
  {
    method: 'get',
    path: '/conversations/:id/canned-responses',
    summary: 'The canned responses filled in for this conversation; `unfilled` lists the placeholders left for the agent.',
    description: 'Customer and order placeholders are filled only from the customer this conversation verified (while the verification holds).',
    security: 'agentSession',
    params: conversationId,
    responses: { 200: { description: 'The filled-in canned responses.', json: RenderedCannedResponsesSchema }, 401: 'No valid session.', 404: notVisible },
  },
  {
    method: 'get',
    path: '/conversations/:id/suggestions',
    summary: "Help articles for the conversation (searched with the customer's recent messages and intents), each with its help page and an excerpt.",
    security: 'agentSession',
    params: conversationId,
    responses: { 200: { description: 'The suggested articles.', json: SuggestionsSchema }, 401: 'No valid session.', 404: notVisible },
  },
  {
    method: 'post',
    path: '/conversations/:id/draft',
    summary: 'A suggested reply for the agent to edit: from the best article by default, by the language model when LLM_* is set. Stores and sends nothing.',
    description: 'If the model fails the draft comes from the articles and `notice` says so.',
    security: 'agentSession',
    params: conversationId,
    body: DraftBodySchema,
    responses: { 200: { description: 'The draft.', json: DraftSchema }, 400: 'The body is invalid.', 401: 'No valid session.', 403: foreignOrigin, 404: notVisible },
  },
  {
    method: 'get',
    path: '/presence',
    summary: 'Your presence as routing sees it, your load against your capacity, and the offers open to you.',
    security: 'agentSession',
    responses: { 200: presence, 401: 'No valid session.' },
  },
  {
    method: 'post',
    path: '/presence',
    summary: 'Set your presence: `online` (routing offers you conversations), `away`, `offline`.',
    security: 'agentSession',
    body: PresenceBodySchema,
    responses: { 200: presence, 400: 'The body is invalid.', 401: 'No valid session.', 403: foreignOrigin },
  },
  {
    method: 'post',
    path: '/heartbeat',
    summary:
      'The console is open and its user active (sent while they work): keeps an online agent from turning away after AGENT_AWAY_AFTER_SECONDS; a first heartbeat is coming online.',
    security: 'agentSession',
    responses: { 200: presence, 401: 'No valid session.', 403: foreignOrigin },
  },
  {
    method: 'get',
    path: '/agents',
    summary: "Supervisors and admins: every console user's presence, load, capacity and skills.",
    security: 'agentSession',
    responses: { 200: { description: 'Everyone.', json: AgentsPresenceSchema }, 401: 'No valid session.', 403: 'Not a supervisor or admin (SB_ERR_FORBIDDEN).' },
  },
  {
    method: 'post',
    path: '/agents/:id/routing',
    summary: 'Supervisors and admins: set what routing may give a user (capacity 0 to 50; 0 is never offered anything) and their skills.',
    security: 'agentSession',
    body: AgentRoutingBodySchema,
    responses: { 204: 'Saved.', 400: 'The body is invalid.', 401: 'No valid session.', 403: 'Not a supervisor or admin, or a foreign Origin (SB_ERR_FORBIDDEN).', 404: 'No such user.' },
  },
  conversationAction('accept', 'Take the conversation routing offered you: it is assigned to you.', {
    forbidden: foreignOrigin,
    conflict: 'No offer of it to you is open, or it expired (SB_ERR_CONFLICT).',
  }),
  conversationAction('decline', 'Turn down the offer: it goes back to the queue and to the next agent.', {
    forbidden: foreignOrigin,
    conflict: 'No offer of it to you is open (SB_ERR_CONFLICT).',
  }),
  conversationAction('claim', 'Take a queued conversation. Of two agents claiming at once (any instances) exactly one gets it; the other gets 409.', {
    conflict: 'Another agent holds it, or it is not queued (SB_ERR_CONFLICT).',
  }),
  withOutsideWindow(conversationAction('messages', 'Reply to the customer on their own channel (takes a queued conversation first).', {
    body: AgentMessageBodySchema,
    conflict: 'Another agent holds it, or it is not handed off (SB_ERR_CONFLICT).',
    description:
      'The reply goes on the channel the customer last wrote on, or on `channel`: one they wrote on in this conversation (another is 422 SB_ERR_VALIDATION, nothing stored). ' +
      'On WhatsApp (Cloud API or Twilio), Messenger and Instagram a free-form reply needs the customer-service window: 24 hours from the customer\'s last message ' +
      '(Messenger/Instagram: 7 days for a person, sent with the HUMAN_AGENT tag). Outside it the answer is 422 SB_ERR_OUTSIDE_WINDOW and nothing is stored; ' +
      'send an approved template instead (`POST /conversations/{id}/templates`).',
  })),
  withOutsideWindow(conversationAction('templates', 'Send an approved WhatsApp template (shipping_update, follow_up, csat): the message allowed outside the 24-hour window.', {
    description: 'The template, its language and parameters are configured in channels/meta/templates.yaml (or WHATSAPP_TEMPLATES_FILE); through Twilio it is sent as its `contentSid` with the parameters as `contentVariables`. The transcript shows its filled text.',
    body: AgentTemplateBodySchema,
    conflict: 'Another agent holds it, or it is not handed off (SB_ERR_CONFLICT).',
  })),
  conversationAction('notes', 'Add an internal note: shown to agents, never sent to the customer.', { body: AgentNoteBodySchema }),
  conversationAction('resolve', "Close the conversation with a disposition; the customer's next message opens a new one.", {
    description:
      'Optionally with `steps` (what was done, at most 2000 characters) and `links` (at most 10 http(s) URLs: tickets, articles, ' +
      'screenshots where they are hosted; other schemes are a 400 naming the link). Shown in the conversation as `outcomes`.',
    body: ResolveBodySchema,
    conflict: 'Already resolved (SB_ERR_CONFLICT).',
  }),
  conversationAction('release', 'Return the conversation to the bot.', { conflict: 'Not handed off (SB_ERR_CONFLICT).' }),
  conversationAction(
    'transfer',
    "Move the conversation to a team's queue (an assigned one goes back to the queue) or hand it to a person, with why and optionally the escalation level.",
    {
      description: "Exactly one of `team` (into its queue) and `agentId` (to that person, who must work the conversation's queue; they then hold it).",
      body: TransferBodySchema,
      conflict: "Not handed off, or the person does not work the conversation's queue (SB_ERR_CONFLICT).",
    },
  ),
  conversationAction('snooze', 'Set the conversation aside until a time: it leaves the active queue until then, or until the customer writes again or it is moved.', {
    description: 'For its holder and supervisors (as resolve). `until` is an ISO date-time in the future, at most 30 days ahead; status and holder stay as they are.',
    body: SnoozeBodySchema,
    conflict: 'Not queued or assigned (SB_ERR_CONFLICT).',
  }),
  {
    method: 'post',
    path: '/conversations/:id/follow-up',
    summary: 'Set a follow-up reminder: when due, a resolved conversation is reopened into its queue with the note; an open one gets the note and its holder is rung.',
    description: 'For whoever may add a note. `at` is an ISO date-time in the future, at most 90 days ahead (else 400 naming body.at); a durable job. Another POST replaces the pending reminder.',
    security: 'agentSession',
    params: conversationId,
    body: FollowUpBodySchema,
    responses: { 200: { description: 'The scheduled reminder.', json: FollowUpSchema }, 400: 'The body is invalid (SB_ERR_VALIDATION; details name the field).', 401: 'No valid session.', 403: foreignOrigin, 404: notVisible },
  },
  {
    method: 'delete',
    path: '/conversations/:id/follow-up',
    summary: 'Cancel the pending follow-up reminder.',
    security: 'agentSession',
    params: conversationId,
    responses: { 204: 'Cancelled.', 401: 'No valid session.', 403: foreignOrigin, 404: notVisible, 409: 'No follow-up is scheduled (SB_ERR_CONFLICT).' },
  },
]);

/** `/api/agent/socket` is an upgrade (server/agent/socket.ts), not an express route. */
export const agentSocketDocs = apiDocs('', 'Agent console', [
  {
    method: 'get',
    path: AGENT_SOCKET_PATH,
    summary: "WebSocket: live updates for the console (upgrade; the session cookie and the service's own Origin are required, else 401).",
    description:
      'Frames are JSON doorbells: `{ "type": "ready", "agentId" }` once subscribed, then `{ "type": "event", "conversationId", "seq", ' +
      '"eventType" }` for every event stored in a conversation in the user\'s queues, from every instance (the live feed). Read the content ' +
      'over the API; `{ "type": "activity", "activity": "viewing" | "typing", "conversationId", "agentId", "agentName", "at" }` when another agent ' +
      'views or types in one of them; `{ "type": "customer_typing", "conversationId", "at" }` while the web-chat customer of one types (never stored). The console sends `{ "type": "viewing" | "typing", "conversationId" }` (dropped unless the agent may see it; at most one per kind, agent and conversation every 2 s); other frames are ignored.',
    security: 'agentSession',
    responses: { 101: 'Switching protocols.', 401: 'No valid session, or a foreign Origin.' },
  },
]);
