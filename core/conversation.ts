import { z } from 'zod';
import { AuthorSchema, ChannelNameSchema, OutboundMessageSchema } from './message.js';
import { HandoffReasonSchema, IssueCategorySchema, SlaDueSchema, SlaKindSchema } from './handoff-triage.js';
import { EntitySchema, IntentScoreSchema, OutOfScopeReasonSchema, SentimentSchema } from './nlu.js';

/**
 * Who holds a conversation. Changed only by `transition()` in `handoff/`:
 * bot → queued → assigned → resolved (and back to bot when a resolved one is reopened).
 */
/**
 * What a flow keeps in its frame: a JSON value (a string, a number, a challenge object, a list
 * of tried steps), never JSON inside a string. Each flow reads its frame through its own zod
 * schema (bots/flow-state.ts); null removes a value.
 */
export const SlotValueSchema = z.json();
export type SlotValue = z.infer<typeof SlotValueSchema>;
/** A frame's values by name. */
export const SlotsSchema = z.record(z.string(), SlotValueSchema).readonly();
export type Slots = z.infer<typeof SlotsSchema>;

export const ConversationStatusSchema = z.enum(['bot', 'queued', 'assigned', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

/** The escalation ladder a transfer may climb (docs/agents.md). */
export const EscalationLevelSchema = z.enum(['frontline', 'senior', 'team_lead', 'manager']);
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

const base = { at: z.string() };

/** How an agent verifies the customer from the console (docs/agents.md, "Verifying the customer"). */
export const AgentVerificationMethodSchema = z.enum(['code_channel', 'code_email', 'code_sms', 'security_question']);
export type AgentVerificationMethod = z.infer<typeof AgentVerificationMethodSchema>;

/** What an agent may do for a verified customer (POST …/actions/<action>, with dashes). */
export const AgentOrderActionSchema = z.enum(['cancel_order', 'change_address', 'start_return', 'refund', 'payment_retry', 'open_case']);
export type AgentOrderAction = z.infer<typeof AgentOrderActionSchema>;

/**
 * The append-only event log of a conversation (as Rasa's tracker). The current
 * state — slots, active flow, verified customer, status — is derived from it.
 */
/** How a customer who cannot wait for the team's hours wants to hear back. */
export const FollowUpKindSchema = z.enum(['callback', 'email']);
export type FollowUpKind = z.infer<typeof FollowUpKindSchema>;

export const ConversationEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('user_said'),
    channel: ChannelNameSchema,
    providerMessageId: z.string(),
    /** The customer's id on that channel: where replies go. Absent from events stored before it was kept. */
    senderId: z.string().optional(),
    text: z.string(),
    payload: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('nlu'),
    intent: z.string().nullable(),
    confidence: z.number(),
    ranking: z.array(IntentScoreSchema).max(5),
    outOfScope: OutOfScopeReasonSchema.nullable(),
    entities: z.array(EntitySchema),
    sentiment: SentimentSchema,
  }),
  z.object({
    ...base,
    type: z.literal('said'),
    author: AuthorSchema,
    /** Agent id when an agent wrote it. */
    authorId: z.string().optional(),
    message: OutboundMessageSchema,
    /** Where it went when an agent chose a channel other than the one the customer last wrote on; absent: that one. */
    channel: ChannelNameSchema.optional(),
  }),
  /** A value of the active flow's typed state (bots/flow-state.ts); null removes it. */
  z.object({ ...base, type: z.literal('slot_set'), name: z.string(), value: SlotValueSchema }),
  z.object({ ...base, type: z.literal('flow_started'), flow: z.string() }),
  z.object({ ...base, type: z.literal('flow_step'), flow: z.string(), step: z.string() }),
  z.object({
    ...base,
    type: z.literal('flow_ended'),
    flow: z.string(),
    outcome: z.enum(['resolved', 'abandoned', 'handed_off', 'failed']),
  }),
  /** A digression: the active flow is set aside (its frame kept) while another one runs. */
  z.object({ ...base, type: z.literal('flow_suspended'), flow: z.string() }),
  /** The customer took up a set-aside flow again: its frame is active once more. */
  z.object({ ...base, type: z.literal('flow_resumed'), flow: z.string() }),
  /** "Go back": the active flow returns to the question it asked before the current one. */
  z.object({ ...base, type: z.literal('flow_back'), flow: z.string() }),
  /** `byAgentId`: an agent verified the customer from the console (handoff/agent-verification.ts). */
  z.object({ ...base, type: z.literal('customer_verified'), customerId: z.string(), method: z.enum(['otp', 'channel', 'security_question']), byAgentId: z.string().optional() }),
  /**
   * The sender's phone number is on file for exactly this customer (bots/phone-identity.ts): enough
   * to read order status and delivery information, never to change anything (that still takes a code).
   */
  z.object({ ...base, type: z.literal('customer_matched'), customerId: z.string(), via: z.literal('phone') }),
  /**
   * An agent started verifying the customer `customerId` (the conversation's linked customer, or
   * the owner of the order or email the customer gave): a code sent (only its keyed hash is kept,
   * as the bot keeps its own) or the profile's security question asked.
   */
  z.object({
    ...base,
    type: z.literal('verification_requested'),
    byAgentId: z.string(),
    method: AgentVerificationMethodSchema,
    customerId: z.string(),
    /** Counter keys (keyed hashes) of the order or email the customer gave: wrong tries count against them too. */
    claimKeys: z.array(z.string()).max(3),
    /** The code's keyed hash and expiry (epoch ms); null for a security question. */
    challenge: z.object({ codeHash: z.string(), expiresAt: z.number(), via: z.enum(['email', 'sms']) }).nullable(),
  }),
  /** The code or answer an agent checked did not prove it (`paused`: the attempt budget is spent). */
  z.object({ ...base, type: z.literal('verification_failed'), byAgentId: z.string(), method: AgentVerificationMethodSchema, outcome: z.enum(['wrong', 'expired', 'paused']) }),
  /** What an agent did for the verified customer, with why (the audit of handoff/agent-order-actions.ts). */
  z.object({
    ...base,
    type: z.literal('agent_action_taken'),
    agentId: z.string(),
    action: AgentOrderActionSchema,
    reason: z.string(),
    customerId: z.string(),
    orderNumber: z.string().nullable(),
    /** What it produced: the RMA, the case id, the order's new status. */
    outcome: z.string(),
  }),
  z.object({ ...base, type: z.literal('status_changed'), from: ConversationStatusSchema, to: ConversationStatusSchema, reason: z.string() }),
  /** Who holds the conversation among the agents (null: nobody); the status says whether a person holds it at all. */
  z.object({ ...base, type: z.literal('assignee_changed'), agentId: z.string().nullable() }),
  /** How the conversation waits for a person: what it is about, which team takes it, how urgent it is. */
  z.object({
    ...base,
    type: z.literal('triaged'),
    issueType: z.string(),
    /** The queue it waits in (null: every agent's). */
    team: z.string().nullable(),
    /** The priority's rank (`priorityRank`: low 0 … urgent 3). */
    priority: z.number().int(),
    // Set by the handoff policy; absent from events recorded before it existed.
    reason: HandoffReasonSchema.optional(),
    detail: z.string().optional(),
    category: IssueCategorySchema.nullable().optional(),
    /** The policy's team (a shared one is stored as `team: null`). */
    policyTeam: z.string().optional(),
    skills: z.array(z.string()).optional(),
    /** When a person must first answer and resolve it; checked by the SLA jobs (jobs/sla-checks.ts). */
    sla: SlaDueSchema.optional(),
  }),
  /**
   * A service-level target of the handoff triaged at `handoffSeq` was missed: recorded once per
   * target, with the priority it raised the conversation to.
   */
  z.object({
    ...base,
    type: z.literal('sla_breached'),
    kind: SlaKindSchema,
    handoffSeq: z.number().int().min(0),
    dueAt: z.string(),
    priority: z.number().int(),
    /** A `next_response` breach: the seq of the customer message nobody answered in time. */
    messageSeq: z.number().int().min(0).optional(),
  }),
  /**
   * A person's episode ended (resolved, or handed back to the bot): how long the customer waited
   * for the first human answer, how long agents held it, and handoff to end, in milliseconds
   * (handoff/episode-timings.ts). Null where it never happened (nobody answered or claimed).
   */
  z.object({
    ...base,
    type: z.literal('episode_timed'),
    handoffSeq: z.number().int().min(0),
    outcome: z.enum(['resolved', 'returned_to_bot']),
    firstResponseMs: z.number().int().min(0).nullable(),
    handleTimeMs: z.number().int().min(0).nullable(),
    resolutionMs: z.number().int().min(0),
  }),
  /**
   * An agent set a follow-up reminder for `dueAt` (ISO): a durable job (jobs/follow-up-job.ts),
   * stored with this event. A later `follow_up_set` replaces it; `follow_up_cancelled` ends it.
   */
  z.object({ ...base, type: z.literal('follow_up_set'), followUpId: z.string(), dueAt: z.string(), note: z.string(), byAgentId: z.string() }),
  z.object({ ...base, type: z.literal('follow_up_cancelled'), followUpId: z.string(), byAgentId: z.string() }),
  /** A follow-up reminder an agent set fell due (jobs/follow-up-job.ts): the resolved conversation is back in its team's queue, or its holder was told. */
  z.object({ ...base, type: z.literal('follow_up_due'), followUpId: z.string(), byAgentId: z.string(), note: z.string(), reopened: z.boolean() }),
  /** An agent's internal note: shown to agents, never to the customer, never delivered. */
  z.object({ ...base, type: z.literal('note_added'), authorId: z.string(), text: z.string() }),
  /**
   * Moved by an agent, with why: to another team's queue, or to a person (`toAgentId`, who then
   * holds it; `team` stays the conversation's). `level` is the escalation step, when it is one.
   */
  z.object({
    ...base,
    type: z.literal('transferred'),
    byAgentId: z.string(),
    team: z.string().nullable(),
    reason: z.string(),
    toAgentId: z.string().optional(),
    level: EscalationLevelSchema.optional(),
  }),
  /**
   * Outside the team's hours the customer asked to be called back or emailed instead of waiting:
   * a task for the team. `to` is the number or address to use; null while the bot asks for it.
   */
  z.object({ ...base, type: z.literal('follow_up_requested'), kind: FollowUpKindSchema, to: z.string().nullable(), team: z.string().nullable() }),
  /**
   * Routing offered the queued conversation to an agent until `expiresAt` (ISO); it stays queued.
   * The offer ends with `offer_declined`, `offer_expired`, or anything that assigns, re-queues
   * or closes the conversation (handoff/routing-offers.ts).
   */
  z.object({ ...base, type: z.literal('offered'), agentId: z.string(), offerId: z.string(), expiresAt: z.string() }),
  /** The agent turned down the offer stored at `offerSeq`; routing offers it to the next agent. */
  z.object({ ...base, type: z.literal('offer_declined'), agentId: z.string(), offerSeq: z.number().int().min(0) }),
  /** Nobody accepted the offer stored at `offerSeq` in time (its durable job, jobs/offer-expiry.ts). */
  z.object({ ...base, type: z.literal('offer_expired'), agentId: z.string(), offerSeq: z.number().int().min(0) }),
  /** After a person resolved it, the customer was asked to rate the help (once per conversation). */
  z.object({ ...base, type: z.literal('csat_requested') }),
  /** The customer's rating, 1 (poor) to 5 (excellent). */
  z.object({ ...base, type: z.literal('csat_rated'), score: z.number().int().min(1).max(5) }),
  /** What the customer added to their rating (or null: they had nothing to add). */
  z.object({ ...base, type: z.literal('csat_commented'), comment: z.string().nullable() }),
  /**
   * An agent set the conversation aside until `until` (ISO): it leaves the active queue until
   * then, or until the customer writes again or someone moves it (db/agent-queue.ts).
   */
  z.object({ ...base, type: z.literal('snoozed'), agentId: z.string(), until: z.string() }),
  /**
   * An agent linked the conversation's contact to a customer profile (crm/profile-association.ts):
   * their explicit choice, e.g. among a household line's profiles. Not a verification: the bot
   * acts for nobody on it.
   */
  z.object({ ...base, type: z.literal('profile_associated'), customerId: z.string(), byAgentId: z.string() }),
  /** How the agent who resolved the conversation classified its outcome, the steps they took and links (screenshots, tickets) they attached. */
  z.object({
    ...base,
    type: z.literal('disposition_recorded'),
    agentId: z.string(),
    disposition: z.string(),
    // Optional: resolutions recorded before they existed have neither.
    steps: z.string().optional(),
    links: z.array(z.string()).optional(),
  }),
]);
export type ConversationEvent = z.infer<typeof ConversationEventSchema>;
export type ConversationEventType = ConversationEvent['type'];
/** Every event type, for the live feed's announcements. */
export const ConversationEventTypeSchema = z.enum(ConversationEventSchema.options.map((o) => o.shape.type.value) as [ConversationEventType, ...ConversationEventType[]]);
