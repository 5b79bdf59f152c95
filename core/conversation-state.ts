import { z } from 'zod';
import { ConversationStatusSchema, FollowUpKindSchema, SlotsSchema } from './conversation.js';
import { ChannelNameSchema, ChoiceOptionSchema, OutboundMessageSchema } from './message.js';
import { EntityTypeSchema } from './nlu.js';

/** Where replies go: the channel and the customer's id on it, as their last message came in. */
export const ReplyIdentitySchema = z.object({ channel: ChannelNameSchema, senderId: z.string().min(1) });
export type ReplyIdentity = z.infer<typeof ReplyIdentitySchema>;

/**
 * A flow's place in the conversation: its step, its own slots (no other flow reads them) and
 * the question it last asked, which is asked again when the flow is resumed or the customer
 * goes back.
 */
export const FrameSchema = z.object({
  flow: z.string(),
  step: z.string().nullable(),
  slots: SlotsSchema,
  expecting: EntityTypeSchema.nullable(),
  prompt: OutboundMessageSchema.nullable(),
});
export type Frame = z.infer<typeof FrameSchema>;

/** Where the active flow was when the customer was asked one of its earlier questions ("go back"). */
export const StepMarkSchema = z.object({
  step: z.string(),
  slots: SlotsSchema,
  expecting: EntityTypeSchema.nullable(),
  prompt: OutboundMessageSchema.nullable(),
});
export type StepMark = z.infer<typeof StepMarkSchema>;

/**
 * How sure the conversation is of who is writing. `phone_matched`: the sender's number is on
 * file for exactly one customer, which lets them read order status and delivery information;
 * `verified`: they proved it with a one-time code (or an agent verified them), which every change
 * needs. Both lapse after VERIFICATION_TTL_HOURS (`withVerificationExpiry`).
 */
export const CustomerIdentitySchema = z.discriminatedUnion('level', [
  z.object({ level: z.literal('anonymous') }),
  z.object({ level: z.literal('phone_matched'), customerId: z.string(), at: z.string() }),
  z.object({ level: z.literal('verified'), customerId: z.string(), at: z.string() }),
]);
export type CustomerIdentity = z.infer<typeof CustomerIdentitySchema>;

/**
 * The state of a conversation as derived from its event log (`bots/state.ts` folds it). It is
 * cached in the state backend between turns; what is read back from there is parsed with this
 * schema, so a snapshot written by another version (or tampered with) is rebuilt from the log
 * instead of trusted.
 */
export const ConversationStateSchema = z.object({
  /** Number of events folded so far (the next event's seq). */
  version: z.number().int().min(0),
  status: ConversationStatusSchema,
  verifiedCustomerId: z.string().nullable(),
  /** When the customer proved who they are (ISO); see `withVerificationExpiry`. */
  verifiedAt: z.string().nullable(),
  /** Who is writing, as a level (a snapshot cached before it existed reads as anonymous and is refolded on the next write). */
  identity: CustomerIdentitySchema.default({ level: 'anonymous' }),
  /** The active frame: the flow answering now, its step and its own slots. */
  activeFlow: z.string().nullable(),
  step: z.string().nullable(),
  slots: SlotsSchema,
  /** The active flow's last question (re-asked after a digression or "go back"). */
  prompt: OutboundMessageSchema.nullable().default(null),
  /** The active flow's earlier questions, oldest first (at most a few). */
  history: z.array(StepMarkSchema).readonly().default([]),
  /** Flows interrupted by a digression, the most recent last: the bot offers to resume them. */
  suspended: z.array(FrameSchema).readonly().default([]),
  /**
   * What the customer named in this conversation, newest value per entity type (an order
   * number, an email, a product): claims, not proof, so flows still verify before using them.
   */
  mentioned: z.record(z.string(), z.string()).readonly().default({}),
  /** What the bot asked for last, so the NLU can read "100234" as an order number. */
  expecting: EntityTypeSchema.nullable(),
  /** Consecutive messages the bot did not understand (drives the offer of a human). */
  misunderstandings: z.number().int().min(0),
  /** Flows tried in this conversation and how they ended: part of the handoff package. */
  attempts: z.array(z.object({ flow: z.string(), outcome: z.string() })).readonly(),
  /** The agent holding the conversation, if any. */
  assigneeId: z.string().nullable(),
  team: z.string().nullable(),
  priority: z.number().int(),
  /** What a handed-off conversation is about (the flow that could not finish, a complaint, …). */
  issueType: z.string().nullable(),
  replyTo: ReplyIdentitySchema.nullable(),
  /**
   * Since when the customer has been waiting for a person (ISO): the first message or handoff
   * no agent has answered yet. Null while the bot holds the conversation or after an agent spoke.
   */
  waitingSince: z.string().nullable(),
  /**
   * The options of the bot's last question, until the customer answers: a typed "2" or label is
   * mapped back to one of them before intent detection (`bots/choice-resolver.ts`). A snapshot
   * cached before this field existed reads as none offered.
   */
  offered: z.array(ChoiceOptionSchema).readonly().nullable().default(null),
  /** The callback or email follow-up asked for while waiting outside the team's hours (`to` null: not yet given). */
  followUp: z.object({ kind: FollowUpKindSchema, to: z.string().nullable() }).nullable().default(null),
  /**
   * The last policy refusal the customer heard (a return out of its window), until another task
   * starts: a person asked for right after it is asked for an exception (`beyond_policy`).
   */
  refusal: z.object({ policy: z.string(), reason: z.string(), subject: z.string().nullable(), flow: z.string().nullable() }).nullable().default(null),
  /** The satisfaction survey after a person resolved the conversation: asked when, and what came back. */
  csat: z.object({ askedAt: z.string(), score: z.number().int().nullable(), commented: z.boolean() }).nullable().default(null),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;
