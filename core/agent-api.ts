import { z } from 'zod';
import { ConversationEventTypeSchema, ConversationStatusSchema, EscalationLevelSchema } from './conversation.js';
import { AuthorSchema, ChannelNameSchema } from './message.js';
import { IssueCategorySchema, PrioritySchema, SlaKindSchema } from './handoff-triage.js';
import { SentimentSchema } from './nlu.js';
import { StorableTextSchema } from './text.js';

/**
 * The agent console's API (`/api/agent/*`, docs/openapi.yaml): every body the server accepts and
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

export const QueueSchema = z.object({ conversations: z.array(QueueEntrySchema) });

export const TranscriptEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  author: AuthorSchema,
  /** The agent's name for agent messages. */
  authorName: z.string().nullable(),
  text: z.string(),
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

/** A conversation with what the bot knew. Nothing about a profile unless this conversation verified the customer. */
export const ConversationDetailSchema = QueueEntrySchema.extend({
  transcript: z.array(TranscriptEntrySchema),
  notes: z.array(NoteSchema),
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
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

const AgentTextBody = StorableTextSchema.pipe(z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'));
export const AgentMessageBodySchema = z.object({ text: AgentTextBody });
export const AgentNoteBodySchema = z.object({ text: AgentTextBody });

/** How a resolved conversation ended. */
export const DispositionSchema = z.enum(['solved', 'not_solved', 'follow_up', 'duplicate', 'spam']);
export type Disposition = z.infer<typeof DispositionSchema>;
export const ResolveBodySchema = z.object({ disposition: DispositionSchema });

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

/** `POST /api/agent/agents/:id/routing` (supervisors, admins): what routing may give the agent. */
export const AgentRoutingBodySchema = z.strictObject({
  capacity: z.number().int().min(0).max(50).optional(),
  skills: z.array(StorableTextSchema.pipe(z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, "-" or "_"'))).max(50).optional(),
});

/** Frames the server sends on `/api/agent/socket`: a doorbell per stored event of a conversation the agent may see. */
export const AgentSocketFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), agentId: z.string() }),
  z.object({ type: z.literal('event'), conversationId: z.string(), seq: z.number().int(), eventType: ConversationEventTypeSchema }),
]);
export type AgentSocketFrame = z.infer<typeof AgentSocketFrameSchema>;

/** Where the API and socket live; the console and the server share them. */
export const AGENT_API = '/api/agent';
export const AGENT_SOCKET_PATH = '/api/agent/socket';
export const AGENT_SESSION_COOKIE = 'sb_agent_session';
