import { z } from 'zod';
import { ContextPackageSchema } from './agent-context.js';
import { AgentVerificationMethodSchema, ConversationEventTypeSchema, ConversationStatusSchema, EscalationLevelSchema } from './conversation.js';
import { ReturnMethodSchema, ReturnResolutionSchema } from './return-status.js';
import { ShippingAddressSchema } from './shipping-address.js';
import { AuthorSchema, ChannelNameSchema, TemplateUseSchema } from './message.js';
import { IssueCategorySchema, PrioritySchema, SlaKindSchema } from './handoff-triage.js';
import { SentimentSchema } from './nlu.js';
import { StorableTextSchema } from './text.js';

export * from './agent-context.js';

/**
 * The agent console's API (`/api/agent/*`, documented at /openapi.json): every body the server accepts and
 * every answer it gives, one schema each. The server validates requests with them; the console
 * (consoles/agent) parses answers with the same ones.
 */

/** What a user may do: agents work their teams' conversations, supervisors and admins every team's; editors keep content (no agent routes). */
export const UserRoleSchema = z.enum(['agent', 'supervisor', 'admin', 'editor']);
export type UserRole = z.infer<typeof UserRoleSchema>;

/** Roles that see every team's queue. */
export const ALL_TEAMS_ROLES: readonly UserRole[] = ['supervisor', 'admin'];
/** Roles allowed on the agent console at all. */
export const CONSOLE_ROLES: readonly UserRole[] = ['agent', 'supervisor', 'admin'];

/** A team's name as stored (`teams.name`): lower-case, digits, `-` and `_`, as in `returns` or `tier-2`. */
export const TeamNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, "-" or "_", starting with a letter or digit');

export const AccountEmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));

/** A new password: long enough to resist guessing, short enough that hashing it is cheap. */
export const NewPasswordSchema = StorableTextSchema.pipe(z.string().min(12, 'must be at least 12 characters').max(256, 'must be at most 256 characters'));

export const LoginBodySchema = z.object({
  // Not the email schema: a malformed address is a failed login like any other, not a hint.
  email: StorableTextSchema.pipe(z.string().trim().min(1).max(254)),
  password: StorableTextSchema.pipe(z.string().min(1).max(1024)),
});

export const AgentProfileSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: UserRoleSchema,
  teams: z.array(z.string()),
});
export type AgentProfile = z.infer<typeof AgentProfileSchema>;

export const LoginResultSchema = z.object({ agent: AgentProfileSchema });
/** `GET /api/agent/session`: who is signed in, null for nobody. */
export const SessionSchema = z.object({ agent: AgentProfileSchema.nullable() });

/** Where a conversation stands against its targets: `breached` once one was missed, `at_risk` in the last fifth of a target. */
export const SlaStatusSchema = z.enum(['on_track', 'at_risk', 'breached']);
export type SlaStatus = z.infer<typeof SlaStatusSchema>;

export const SlaSchema = z.object({
  status: SlaStatusSchema,
  firstResponseDueAt: z.string(),
  /** When an agent first answered after the handoff (ISO), null until then. */
  firstResponseAt: z.string().nullable(),
  resolutionDueAt: z.string(),
  /** While a person holds it and the customer wrote since their last answer: when the next answer is due (ISO); else null. */
  nextResponseDueAt: z.string().nullable(),
  /** Targets whose breach was recorded (`sla_breached` events). */
  breached: z.array(SlaKindSchema),
});

/** A query parameter list: `a,b`, or the parameter repeated. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '')), z.array(item).max(20))
    .optional();
}

/** One handed-off conversation as the queue lists it. */
export const QueueEntrySchema = z.object({
  id: z.string(),
  channel: ChannelNameSchema,
  status: ConversationStatusSchema,
  /** The verified customer's name, the channel's display name, or "Visitor". */
  customer: z.string(),
  /** Why the bot handed it off (`customer_asked`, `complaint`, …). */
  reason: z.string(),
  priority: z.number().int(),
  issueType: z.string().nullable(),
  /** The team whose queue it is in; null: not routed yet, every agent's queue. */
  team: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  /** Since when the customer waits for a person (ISO), null once an agent answered. */
  waitingSince: z.string().nullable(),
  lastSeq: z.number().int(),
  /** `priority` as its level (the stored rank: low 0 … urgent 3). */
  priorityLevel: PrioritySchema,
  /** What it is about, as the handoff policy triaged it; null for handoffs from before the policy or about nothing known. */
  category: IssueCategorySchema.nullable(),
  /** What happened, in a line (from the flow that handed off). */
  detail: z.string().nullable(),
  /** Skills the agent who takes it needs. */
  skills: z.array(z.string()),
  /** When the bot handed it off (ISO). */
  handedOffAt: z.string().nullable(),
  /** Its service-level targets; null for handoffs recorded before SLAs existed. */
  sla: SlaSchema.nullable(),
});
export type QueueEntry = z.infer<typeof QueueEntrySchema>;

/**
 * `GET /api/agent/queue` query parameters. Lists are comma-separated or repeated
 * (`priority=urgent,high` or `priority=urgent&priority=high`).
 */
export const QueueQuerySchema = z.strictObject({
  priority: listOf(PrioritySchema),
  channel: listOf(ChannelNameSchema),
  category: listOf(IssueCategorySchema),
  issueType: listOf(z.string().min(1).max(100)),
  status: listOf(z.enum(['queued', 'assigned'])),
  sla: listOf(SlaStatusSchema),
  /** The shop customer id (the contact proved to be): their conversations only. */
  customerId: z.string().min(1).max(100).optional(),
  /** Only conversations waiting at least this many minutes. */
  waitingMinutes: z.coerce.number().int().min(0).max(60 * 24 * 365).optional(),
  sort: z.enum(['priority', 'waiting', 'sla', 'channel', 'category', 'customer']).default('priority'),
  /** Default per sort: most urgent, longest waiting, soonest due first; names a→z. */
  order: z.enum(['asc', 'desc']).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

/** A queue entry as `GET /api/agent/queue` lists it for the signed-in agent. */
export const ListedConversationSchema = QueueEntrySchema.extend({
  /** Customer messages since this agent last opened the conversation (every one if they never did). */
  unread: z.number().int().min(0),
});
export type ListedConversation = z.infer<typeof ListedConversationSchema>;

export const QueueSchema = z.object({ conversations: z.array(ListedConversationSchema) });

export const TranscriptEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  author: AuthorSchema,
  /** The agent's name for agent messages. */
  authorName: z.string().nullable(),
  text: z.string(),
  /**
   * The channel the message came in on (customer) or went out on (bot, agent: the channel the
   * customer last wrote on): one conversation can continue across channels (docs/channels.md).
   */
  channel: ChannelNameSchema.optional(),
});

export const NoteSchema = z.object({ seq: z.number().int(), at: z.string(), authorId: z.string(), authorName: z.string().nullable(), text: z.string() });

/** What the bot understood of one customer message. */
export const UnderstandingSchema = z.object({
  seq: z.number().int(),
  intent: z.string().nullable(),
  confidence: z.number(),
  outOfScope: z.string().nullable(),
  entities: z.array(z.object({ type: z.string(), value: z.string() })),
  sentiment: SentimentSchema,
});

/** What an agent recorded on resolving (`disposition_recorded`): how it ended, what they did, where the evidence is. */
export const ResolveOutcomeSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  disposition: z.string(),
  /** Steps taken; null when none were written (and for resolutions from before they could be). */
  steps: z.string().nullable(),
  /** http(s) links: tickets, articles, screenshots where they are hosted. */
  links: z.array(z.string()),
});
export type ResolveOutcome = z.infer<typeof ResolveOutcomeSchema>;

/**
 * One ended episode of a person's help (`episode_timed`): handoff → first human answer, first
 * claim → end (handle time) and handoff → end, in milliseconds; null where it never happened.
 */
export const EpisodeTimingSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  handoffSeq: z.number().int(),
  outcome: z.enum(['resolved', 'returned_to_bot']),
  firstResponseMs: z.number().int().nullable(),
  handleTimeMs: z.number().int().nullable(),
  resolutionMs: z.number().int(),
});
export type EpisodeTiming = z.infer<typeof EpisodeTimingSchema>;

/** `POST /api/agent/conversations/:id/follow-up`: remind the team at `at` (ISO, in the future, at most 90 days ahead). */
export const FollowUpBodySchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  note: StorableTextSchema.pipe(z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters')),
});
export type FollowUpBody = z.infer<typeof FollowUpBodySchema>;

/** A scheduled follow-up reminder, as the API returns it. */
export const FollowUpSchema = z.object({ id: z.string(), conversationId: z.string(), at: z.string(), note: z.string(), byAgentId: z.string() });

/** A conversation with what the bot knew. Nothing about a profile unless this conversation verified the customer. */
export const ConversationDetailSchema = QueueEntrySchema.extend({
  transcript: z.array(TranscriptEntrySchema),
  notes: z.array(NoteSchema),
  /** Every resolution of the conversation, oldest first. */
  outcomes: z.array(ResolveOutcomeSchema),
  /** Timings of every ended episode, oldest first (docs/agents.md "Episode timings"). */
  episodes: z.array(EpisodeTimingSchema),
  understanding: z.array(UnderstandingSchema),
  /** Flows the bot tried and how they ended. */
  attempts: z.array(z.object({ flow: z.string(), outcome: z.string() })),
  /** Set only while the conversation's verification holds. */
  verifiedCustomer: z
    .object({
      id: z.string(),
      name: z.string(),
      orders: z.array(z.object({ number: z.string(), status: z.string(), placedAt: z.string() })),
    })
    .nullable(),
  /** The context package shown on pickup (core/agent-context.ts). */
  context: ContextPackageSchema,
  /** Follow-up reminders still to fall due (one at most: setting another replaces it). */
  followUps: z.array(FollowUpSchema).default([]),
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

const AgentTextBody = StorableTextSchema.pipe(z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'));
/**
 * `POST /conversations/:id/messages`. `channel`: where the reply goes, one the customer wrote on
 * in this conversation (422 otherwise); absent: the channel they last wrote on.
 */
export const AgentMessageBodySchema = z.object({ text: AgentTextBody, channel: ChannelNameSchema.optional() });
/** `POST /conversations/:id/templates`: which approved template to send (outside the 24-hour window). */
export const AgentTemplateBodySchema = z.strictObject({ template: TemplateUseSchema });
export const AgentNoteBodySchema = z.object({ text: AgentTextBody });

/** How a resolved conversation ended. */
export const DispositionSchema = z.enum(['solved', 'not_solved', 'follow_up', 'duplicate', 'spam']);
export type Disposition = z.infer<typeof DispositionSchema>;
/** A link an agent attaches: http or https only (never `javascript:` or `data:`, which a click would run or render). */
export const OutcomeLinkSchema = StorableTextSchema.pipe(
  z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, such as https://files.example.com/screenshot.png' })),
);
/** `POST …/resolve`: the disposition, and optionally the steps taken and links (screenshots are links to where they are hosted). */
export const ResolveBodySchema = z.object({
  disposition: DispositionSchema,
  steps: StorableTextSchema.pipe(z.string().trim().max(2000, 'must be at most 2000 characters')).optional(),
  links: z.array(OutcomeLinkSchema).max(10, 'must be at most 10 links').optional(),
});
export type ResolveBody = z.infer<typeof ResolveBodySchema>;

/** To a team's queue or to a person (exactly one), with why; `level` records an escalation step. */
export const TransferBodySchema = z
  .strictObject({
    team: TeamNameSchema.optional(),
    agentId: z.string().min(1).max(200).optional(),
    reason: StorableTextSchema.pipe(z.string().trim().min(1, 'must not be empty').max(500)),
    level: EscalationLevelSchema.optional(),
  })
  .refine((b) => (b.team === undefined) !== (b.agentId === undefined), { message: 'name either a team or an agent', path: ['team'] });
export type TransferBody = z.infer<typeof TransferBodySchema>;

export const ActionResultSchema = z.object({
  conversationId: z.string(),
  status: ConversationStatusSchema,
  assigneeId: z.string().nullable(),
  seqs: z.array(z.number().int()),
});

/** Whether an agent takes conversations: `online` (routing offers them some), `away`, `offline`. */
export const PresenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/** `POST /api/agent/presence`. */
export const PresenceBodySchema = z.strictObject({ status: PresenceStatusSchema });

/** A conversation routing offered to the agent, open until `expiresAt`. */
export const OfferSchema = z.object({ conversationId: z.string(), offerSeq: z.number().int(), expiresAt: z.string() });
export type Offer = z.infer<typeof OfferSchema>;

/**
 * `GET|POST /api/agent/presence`, `POST /api/agent/heartbeat`: the agent's presence as routing
 * sees it (`status`: `online` turns into `away` after AGENT_AWAY_AFTER_SECONDS without a
 * heartbeat), what they chose (`chosen`), their load against their capacity, and their open offers.
 */
export const PresenceSchema = z.object({
  status: PresenceStatusSchema,
  chosen: PresenceStatusSchema,
  lastSeenAt: z.string().nullable(),
  capacity: z.number().int(),
  skills: z.array(z.string()),
  /** Conversations they hold plus those offered to them. */
  load: z.number().int(),
  offers: z.array(OfferSchema),
});
export type Presence = z.infer<typeof PresenceSchema>;

/** `GET /api/agent/agents` (supervisors, admins): every agent's presence and load. */
export const AgentsPresenceSchema = z.object({
  agents: z.array(PresenceSchema.omit({ offers: true }).extend({ id: z.string(), name: z.string(), teams: z.array(z.string()) })),
});

/** A skill triage may require and an agent may have (`vip`, `incident`). */
export const SkillNameSchema = StorableTextSchema.pipe(z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, "-" or "_"'));
/** Conversations routing may give an agent at once (held + offered); 0: never offered any. */
export const CapacitySchema = z.number().int('must be a whole number').min(0, 'must be 0 to 50').max(50, 'must be 0 to 50');

/** `POST /api/agent/agents/:id/routing` (supervisors, admins): what routing may give the agent. */
export const AgentRoutingBodySchema = z.strictObject({
  capacity: CapacitySchema.optional(),
  skills: z.array(SkillNameSchema).max(50).optional(),
});

/**
 * A canned response as configured (handoff/canned-responses.yaml): `text` may hold placeholders
 * such as `{{customer.firstName}}` (core/canned-placeholders.ts); `teams` empty: every team's.
 */
export const CannedResponseSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Typed in the Reply box to pick it, as in `/refund`. */
  shortcut: z.string(),
  teams: z.array(z.string()),
  text: z.string(),
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

/** `GET /api/agent/canned-responses`: the templates of the agent's teams (every team's for supervisors and admins). */
export const CannedResponsesSchema = z.object({ responses: z.array(CannedResponseSchema) });

/** A canned response filled in for one conversation; what could not be filled stays as `{{name}}`, listed in `unfilled`. */
export const RenderedCannedResponseSchema = CannedResponseSchema.extend({ unfilled: z.array(z.string()) });
export type RenderedCannedResponse = z.infer<typeof RenderedCannedResponseSchema>;

/** `GET /api/agent/conversations/:id/canned-responses`. */
export const RenderedCannedResponsesSchema = z.object({ responses: z.array(RenderedCannedResponseSchema) });

/** A help article relevant to a conversation, with the passage worth quoting. */
export const ArticleSuggestionSchema = z.object({
  articleId: z.string(),
  title: z.string(),
  /** Its public help page (`/help/:id`). */
  url: z.string(),
  heading: z.string(),
  excerpt: z.string(),
});
export type ArticleSuggestion = z.infer<typeof ArticleSuggestionSchema>;

/** `GET /api/agent/conversations/:id/suggestions`: `query` is what was searched (the customer's recent messages and intents). */
export const SuggestionsSchema = z.object({ query: z.string(), articles: z.array(ArticleSuggestionSchema) });
export type Suggestions = z.infer<typeof SuggestionsSchema>;

/** `POST /api/agent/conversations/:id/draft`: no options yet. */
export const DraftBodySchema = z.strictObject({});

/**
 * A suggested reply, never sent by the server: `articles` built it from passages, `llm` had the
 * language model write it from the transcript and those passages. `notice` says why a draft
 * came from the articles although a model is configured, or that no article matched.
 */
export const DraftSchema = z.object({
  text: z.string(),
  source: z.enum(['articles', 'llm']),
  articles: z.array(ArticleSuggestionSchema.pick({ articleId: true, title: true, url: true })),
  notice: z.string().nullable(),
});
export type Draft = z.infer<typeof DraftSchema>;

/** `POST /api/agent/conversations/:id/snooze`: out of the active queue until `until` (ISO date-time, in the future, at most 30 days ahead). */
export const SnoozeBodySchema = z.strictObject({
  until: z.iso.datetime({ offset: true, error: 'must be an ISO date-time such as 2026-05-01T09:00:00Z' }),
});
export type SnoozeBody = z.infer<typeof SnoozeBodySchema>;

/** What another agent is doing with a conversation, live and never stored: looking at it, or writing a reply. */
export const AgentActivitySchema = z.enum(['viewing', 'typing']);
export type AgentActivity = z.infer<typeof AgentActivitySchema>;

/** Frames the console sends on `/api/agent/socket`: what the agent is doing, throttled by the console and the server. */
export const ConsoleSignalSchema = z.strictObject({ type: AgentActivitySchema, conversationId: z.uuid() });
export type ConsoleSignal = z.infer<typeof ConsoleSignalSchema>;

/**
 * Frames the server sends on `/api/agent/socket`: a doorbell per stored event of a conversation
 * the agent may see, and other agents' activity on those conversations (`activity`, ephemeral).
 */
export const AgentSocketFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), agentId: z.string() }),
  z.object({ type: z.literal('event'), conversationId: z.string(), seq: z.number().int(), eventType: ConversationEventTypeSchema }),
  z.object({ type: z.literal('activity'), activity: AgentActivitySchema, conversationId: z.string(), agentId: z.string(), agentName: z.string(), at: z.string() }),
  /** The customer is typing in the web chat of a conversation a person handles (ephemeral, never stored). */
  z.object({ type: z.literal('customer_typing'), conversationId: z.string(), at: z.string() }),
]);
export type AgentSocketFrame = z.infer<typeof AgentSocketFrameSchema>;

/** Where the API and socket live; the console and the server share them. */
export const AGENT_API = '/api/agent';
export const AGENT_SOCKET_PATH = '/api/agent/socket';
export const AGENT_SESSION_COOKIE = 'sb_agent_session';

// ---- Verifying the customer and acting for them (docs/agents.md, "Verifying the customer") ----

const OrderNumberBody = z.string().trim().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an order number such as 100234');
const ReasonBody = StorableTextSchema.pipe(z.string().trim().min(1, 'must say why (it is recorded with the action)').max(500, 'must be at most 500 characters'));

/**
 * `POST /api/agent/conversations/:id/verification`. The customer is the one the conversation's
 * contact is linked to, or, when it has none yet, the owner of the order number or email the
 * customer gave (`orderNumber` / `email`, as typed in the chat). The code goes to the address on
 * file of that customer, never to one the agent types.
 */
export const VerificationStartBodySchema = z.strictObject({
  method: AgentVerificationMethodSchema,
  orderNumber: OrderNumberBody.optional(),
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')).optional(),
});
export type VerificationStartBody = z.infer<typeof VerificationStartBodySchema>;

/** What the start did: a code sent (where, masked), or the question to ask the customer. */
export const VerificationStartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('code_sent'), method: AgentVerificationMethodSchema, sentTo: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('question'), method: z.literal('security_question'), question: z.string() }),
]);
export type VerificationStart = z.infer<typeof VerificationStartSchema>;

/** `POST /api/agent/conversations/:id/verification/check`: the code or the answer the customer gave. */
export const VerificationCheckBodySchema = z.union([
  z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code') }),
  z.strictObject({ answer: StorableTextSchema.pipe(z.string().trim().min(1, 'must not be empty').max(200)) }),
]);
export type VerificationCheckBody = z.infer<typeof VerificationCheckBodySchema>;

/** The outcome, recorded in the log either way (`paused` answers 429 with Retry-After). */
export const VerificationCheckSchema = z.object({
  outcome: z.enum(['verified', 'wrong', 'expired', 'paused']),
  seqs: z.array(z.number().int()),
});
export type VerificationCheck = z.infer<typeof VerificationCheckSchema>;

/** `POST …/actions/cancel-order`: before it ships. */
export const CancelOrderBodySchema = z.strictObject({ orderNumber: OrderNumberBody, reason: ReasonBody });
/** `POST …/actions/change-address`: before it ships. */
export const ChangeAddressBodySchema = z.strictObject({ orderNumber: OrderNumberBody, address: ShippingAddressSchema, reason: ReasonBody });
/** `POST …/actions/start-return`: one order line, decided by the return policy as the bot's returns are. */
export const StartReturnBodySchema = z.strictObject({
  orderNumber: OrderNumberBody,
  /** The order line's number; the order's first line when absent. */
  line: z.number().int().min(1).optional(),
  condition: z.enum(['unopened', 'opened', 'damaged', 'defective']),
  returnReason: z.enum(['changed_mind', 'not_as_expected', 'wrong_item', 'faulty']),
  resolution: ReturnResolutionSchema.default('refund'),
  method: ReturnMethodSchema.default('label'),
  reason: ReasonBody,
});
/** `POST …/actions/refund`: a refund request for the payments team (orders with a captured payment). */
export const RefundBodySchema = z.strictObject({ orderNumber: OrderNumberBody, reason: ReasonBody });
/** `POST …/actions/payment-retry`: the payments team retries a failed or pending payment. */
export const PaymentRetryBodySchema = z.strictObject({ orderNumber: OrderNumberBody, reason: ReasonBody });
/** `POST …/actions/open-case`: a repair or warranty case, about one of the customer's devices or orders. */
export const OpenCaseBodySchema = z.strictObject({
  kind: z.enum(['repair', 'warranty']),
  serial: z.string().trim().min(1).max(100).optional(),
  orderNumber: OrderNumberBody.optional(),
  summary: StorableTextSchema.pipe(z.string().trim().min(1, 'must say what is wrong').max(500)),
  reason: ReasonBody,
});

/** What an action did: recorded as `agent_action_taken` and told to the customer on their channel. */
export const CustomerActionResultSchema = z.object({
  conversationId: z.string(),
  action: z.string(),
  outcome: z.string(),
  /** What the customer was told. */
  told: z.string(),
  rma: z.string().optional(),
  labelUrl: z.string().optional(),
  caseId: z.string().optional(),
  seqs: z.array(z.number().int()),
});
export type CustomerActionResult = z.infer<typeof CustomerActionResultSchema>;
