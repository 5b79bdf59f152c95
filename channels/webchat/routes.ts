import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ConversationEvent, ConversationStatus } from '../../core/conversation.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { toTurnMessage } from '../../core/inbound.js';
import { StorableTextSchema } from '../../core/text.js';
import { TimeZoneSchema } from '../../core/time-zone.js';
import type { CounterStore } from '../../core/stores.js';
import type { InboundTurns } from '../../core/turn-outcome.js';
import { webchatInbound } from './connector.js';
import { bearerToken, type WebchatSessions } from './session.js';
import { toWebchatEntry, type WebchatEntry } from './transcript.js';

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
  limits?: { sessionsPerHourPerIp?: number; messagesPerMinute?: number; messagesPerMinutePerIp?: number };
}

const SendMessageSchema = z
  .object({
    /** Client-generated id: a retried POST with the same id is processed once. */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _'),
    text: StorableTextSchema.trim().max(2000).default(''),
    payload: StorableTextSchema.max(500).optional(),
    /** The browser's IANA time zone (Intl.DateTimeFormat().resolvedOptions().timeZone): replies show times in it. */
    timeZone: TimeZoneSchema.optional(),
  })
  .refine((m) => m.text !== '' || (m.payload !== undefined && m.payload !== ''), { message: 'text or payload is required', path: ['text'] });

const AfterSchema = z.coerce.number().int().min(-1).default(-1);

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

/** The web-chat HTTP API (see docs/openapi.yaml). */
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
      res.json({ conversationId: null, status: null, messages: [] });
      return;
    }
    const events = await deps.conversations.loadEvents(conversation.id, after.data);
    const messages = events.map((e) => toWebchatEntry(e.seq, e.event)).filter((e): e is WebchatEntry => e !== null);
    res.json({ conversationId: conversation.id, status: conversation.status, messages });
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
        res.json({ duplicate: true, messages: [] });
        return;
      case 'relayed':
        res.json({ duplicate: false, conversationId: outcome.conversationId, userSeq: outcome.userSeq, messages: [] });
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
