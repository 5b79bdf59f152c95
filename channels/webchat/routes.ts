import { Router, type Request } from 'express';
import { z } from 'zod';
import { apiDocs } from '../../core/api-doc.js';
import { ConversationStatusSchema, type ConversationEvent, type ConversationStatus } from '../../core/conversation.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { toTurnMessage } from '../../core/inbound.js';
import { StorableTextSchema } from '../../core/text.js';
import { TimeZoneSchema } from '../../core/time-zone.js';
import type { CounterStore } from '../../core/stores.js';
import type { InboundTurns } from '../../core/turn-outcome.js';
import { webchatInbound } from './connector.js';
import { bearerToken, type WebchatSessions } from './session.js';
import { toWebchatEntry, WebchatEntrySchema, type WebchatEntry } from './transcript.js';

/** The reads the widget's history needs (db/conversations.ts provides them). */
export interface WebchatTranscripts {
  lookupContact(channel: 'webchat', senderId: string): Promise<{ contactId: string } | null>;
  latestConversation(contactId: string, channel: 'webchat'): Promise<{ id: string; status: ConversationStatus } | null>;
  loadEvents(conversationId: string, afterSeq: number): Promise<Array<{ seq: number; event: ConversationEvent }>>;
}

export interface WebchatDeps {
  sessions: WebchatSessions;
  turns: InboundTurns;
  conversations: WebchatTranscripts;
  counters: CounterStore;
  /** The first name of the person who holds the conversation now (null: nobody), for the widget's header after a reload. */
  holderName?(conversationId: string): Promise<string | null>;
  limits?: { sessionsPerHourPerIp?: number; messagesPerMinute?: number; messagesPerMinutePerIp?: number };
}

export const SendMessageSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _')
      .meta({ description: 'Client-generated idempotency key: a retried POST with the same id is processed once.' }),
    text: StorableTextSchema.trim().max(2000).default(''),
    payload: StorableTextSchema.max(500).optional().meta({ description: 'The value of a pressed quick reply.' }),
    timeZone: TimeZoneSchema.optional().meta({
      description: "The browser's IANA time zone (Intl.DateTimeFormat().resolvedOptions().timeZone): replies show dates in it (default SHOP_TIME_ZONE). An unknown zone is a 400.",
      example: 'Europe/Berlin',
    }),
  })
  .refine((m) => m.text !== '' || (m.payload !== undefined && m.payload !== ''), { message: 'text or payload is required', path: ['text'] });

const AfterSchema = z.coerce.number().int().min(-1).default(-1);

/** `POST /api/webchat/sessions`. */
export const WebchatSessionCreatedSchema = z.object({
  visitorId: z.string(),
  token: z.string().meta({ description: '`v2.<kid>.<visitorId>.<expiresAt>.<hmac>`; refused (401) once expired or when its secret is no longer configured.' }),
  expiresAt: z.iso.datetime().meta({ description: 'When the token stops working (WEBCHAT_TOKEN_TTL_HOURS).' }),
});
/** `GET /api/webchat/messages`: the visitor's latest conversation, or nulls and no messages before the first. */
export const WebchatTranscriptSchema = z.object({
  conversationId: z.string().nullable(),
  status: ConversationStatusSchema.nullable(),
  /** Who holds the conversation now, by first name only; null while the bot (or nobody) does. */
  agent: z.object({ name: z.string() }).nullable(),
  messages: z.array(WebchatEntrySchema),
});
/** `POST /api/webchat/messages`: the bot's replies (none when a person holds the conversation or for a duplicate). */
export const WebchatSendResultSchema = z.object({
  duplicate: z.boolean(),
  conversationId: z.string().optional(),
  userSeq: z.number().int().optional(),
  messages: z.array(WebchatEntrySchema),
});
type WebchatSendResult = z.infer<typeof WebchatSendResultSchema>;

export const webchatApiDocs = apiDocs('/api/webchat', 'Web chat', [
  {
    method: 'post',
    path: '/sessions',
    summary: 'Start a web-chat session.',
    description: 'Mints a visitor id (128 random bits) and its signed token. Throttled per client IP (WEBCHAT_SESSIONS_PER_HOUR).',
    responses: { 201: { description: 'Created.', json: WebchatSessionCreatedSchema }, 429: { description: 'Too many sessions from this address.', headers: { 'Retry-After': 'Seconds to wait.' } } },
  },
  {
    method: 'get',
    path: '/messages',
    summary: "The visitor's transcript (after a given seq).",
    security: 'webchatSession',
    query: z.object({ after: AfterSchema }),
    responses: { 200: { description: 'Transcript.', json: WebchatTranscriptSchema }, 400: '`after` is not an integer.', 401: 'No valid session token.' },
  },
  {
    method: 'post',
    path: '/messages',
    summary: "Send a customer message and get the bot's replies.",
    description:
      'Runs one turn. `id` is the idempotency key: a retry with the same id returns `duplicate: true` and is not processed again. Replies are ' +
      'also pushed on the WebSocket. When a person holds the conversation the message is relayed and `messages` is empty.',
    security: 'webchatSession',
    body: SendMessageSchema,
    responses: {
      200: { description: 'Replies.', json: WebchatSendResultSchema },
      400: 'The message is invalid (details name the field).',
      401: 'No valid session token.',
      413: 'The body is too large.',
      429: {
        description:
          'Too many messages (per visitor or per client IP), or a verification code sent while verification is paused after too many attempts ' +
          "(the message says for how long; the bot's reply is stored and pushed).",
        headers: { 'Retry-After': 'Seconds to wait.' },
      },
      503: { description: 'The conversation is busy or a backing service is down; retry.', headers: { 'Retry-After': 'Seconds to wait.' } },
    },
  },
]);

function visitorOf(req: Request, sessions: WebchatSessions): string {
  const visitorId = sessions.verify(bearerToken(req.get('authorization')));
  if (visitorId === null) throw new SwitchboardError('SB_ERR_UNAUTHENTICATED', 'A valid web-chat session token is required (POST /api/webchat/sessions)');
  return visitorId;
}

async function throttle(counters: CounterStore, key: string, limit: number, windowMs: number): Promise<void> {
  if ((await counters.hit(key, windowMs)) > limit) {
    throw new SwitchboardError('SB_ERR_RATE_LIMITED', 'Too many messages; wait a moment and try again', [], { retryAfterSeconds: Math.ceil(windowMs / 1000) });
  }
}

/** The web-chat HTTP API (documented by `webchatApiDocs`, served at /openapi.json). */
export function webchatRouter(deps: WebchatDeps): Router {
  const router = Router();
  const sessionsPerHour = deps.limits?.sessionsPerHourPerIp ?? 60;
  const messagesPerMinute = deps.limits?.messagesPerMinute ?? 30;
  const messagesPerMinutePerIp = deps.limits?.messagesPerMinutePerIp ?? 120;

  router.post('/sessions', async (req, res) => {
    await throttle(deps.counters, `webchat-sessions:${req.ip ?? 'unknown'}`, sessionsPerHour, 60 * 60 * 1000);
    const { visitorId, token, expiresAt } = deps.sessions.mint();
    res.status(201).json({ visitorId, token, expiresAt });
  });

  router.get('/messages', async (req, res) => {
    const visitorId = visitorOf(req, deps.sessions);
    const after = AfterSchema.safeParse(req.query.after);
    if (!after.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'after must be an integer', detailsFromZodIssues(after.error.issues, 'after'));
    const contact = await deps.conversations.lookupContact('webchat', visitorId);
    const conversation = contact && (await deps.conversations.latestConversation(contact.contactId, 'webchat'));
    if (!conversation) {
      res.json({ conversationId: null, status: null, agent: null, messages: [] });
      return;
    }
    const events = await deps.conversations.loadEvents(conversation.id, after.data);
    const messages = events.map((e) => toWebchatEntry(e.seq, e.event)).filter((e): e is WebchatEntry => e !== null);
    const agent = deps.holderName === undefined ? null : await deps.holderName(conversation.id);
    res.json({ conversationId: conversation.id, status: conversation.status, agent: agent === null ? null : { name: agent }, messages });
  });

  router.post('/messages', async (req, res) => {
    const visitorId = visitorOf(req, deps.sessions);
    const parsed = SendMessageSchema.safeParse(req.body);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The message is invalid', detailsFromZodIssues(parsed.error.issues));
    // Per visitor and per address: minting visitor ids is free, so the visitor budget alone
    // lets one client send as much as it likes by rotating sessions.
    await throttle(deps.counters, `webchat-messages:${visitorId}`, messagesPerMinute, 60 * 1000);
    await throttle(deps.counters, `webchat-messages-ip:${req.ip ?? 'unknown'}`, messagesPerMinutePerIp, 60 * 1000);
    const inbound = webchatInbound(visitorId, parsed.data, new Date());
    // Synchronous, unlike webhook channels: the widget reads the replies in this response.
    // Verification budgets count per client address too (req.ip follows TRUST_PROXY).
    const outcome = await deps.turns.handle(toTurnMessage(inbound, req.ip !== undefined ? { clientIp: req.ip } : {}));
    switch (outcome.kind) {
      case 'duplicate':
        res.json({ duplicate: true, messages: [] } satisfies WebchatSendResult);
        return;
      case 'relayed':
        res.json({ duplicate: false, conversationId: outcome.conversationId, userSeq: outcome.userSeq, messages: [] } satisfies WebchatSendResult);
        return;
      case 'answered':
        res.json({
          duplicate: false,
          conversationId: outcome.conversationId,
          userSeq: outcome.userSeq,
          messages: outcome.replies.map((r): WebchatEntry => ({ seq: r.seq, author: 'bot', message: r.message })),
        });
        return;
      case 'throttled':
        // Stored and pushed to the socket like any reply; the 429 says when to try again.
        throw new SwitchboardError('SB_ERR_RATE_LIMITED', outcome.throttle.notice, [], { retryAfterSeconds: outcome.throttle.retryAfterSeconds });
      default: {
        const unknown: never = outcome;
        throw new Error(`unexpected turn outcome ${JSON.stringify(unknown)}`);
      }
    }
  });

  return router;
}
