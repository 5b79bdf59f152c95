import { z } from 'zod';
import { CaseKindSchema, CaseStatusSchema } from './case-status.js';
import { ConversationStatusSchema } from './conversation.js';
import { IssueCategorySchema, PrioritySchema } from './handoff-triage.js';
import { AuthorSchema, ChannelNameSchema, CustomerChannelSchema } from './message.js';
import { OrderStatusSchema } from './order-status.js';
import { PolicyDecisionSchema } from './policy-decision.js';

/**
 * The context package of `GET /api/agent/conversations/:id` (docs/agents.md): what the agent who
 * picks a conversation up needs so the customer repeats nothing. Everything about a shop
 * customer — profile, orders, devices, earlier contacts — is there only when this conversation
 * verified that customer and the verification still holds; otherwise `customer` is null and
 * the transcript is this conversation's alone.
 */

/** One message of the customer's transcript across their channels. */
export const ContextTranscriptEntrySchema = z.object({
  conversationId: z.string(),
  channel: ChannelNameSchema,
  seq: z.number().int(),
  at: z.string(),
  author: AuthorSchema,
  text: z.string(),
});

/** Why the bot handed off, as the handoff policy triaged it (the latest `triaged` event). */
export const HandoffContextSchema = z.object({
  /** `customer_asked`, `complaint`, … (the handoff policy's reason, or the status change's for older handoffs). */
  reason: z.string(),
  detail: z.string().nullable(),
  priority: PrioritySchema,
  category: IssueCategorySchema.nullable(),
  team: z.string().nullable(),
  issueType: z.string(),
  at: z.string(),
});

/** How the customer sounded in one message. */
export const SentimentPointSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** -1 (very negative) … 1 (very positive). */
  score: z.number(),
  /** 0 … 1. */
  frustration: z.number(),
});

/** A one-time code the bot sent: how, and where to (masked). Never the code. */
export const CodeSentSchema = z.object({
  at: z.string(),
  transport: z.enum(['email', 'sms']),
  /** Masked (`a••@example.com`, `+•••••••1234`); null unless the code went to the customer this conversation verified. */
  destination: z.string().nullable(),
});

/** What the bot tried before a person took over. */
export const BotTriedSchema = z.object({
  flows: z.array(z.object({ flow: z.string(), outcome: z.string(), at: z.string() })),
  articles: z.array(z.object({ articleId: z.string(), title: z.string(), at: z.string() })),
  troubleshooting: z.array(
    z.object({ step: z.string(), outcome: z.enum(['fixed', 'not_fixed', 'answered', 'skipped']), answer: z.string().nullable() }),
  ),
  policyDecisions: z.array(PolicyDecisionSchema.extend({ at: z.string() })),
  codesSent: z.array(CodeSentSchema),
});

/** A few sentences for the agent: extractive (deterministic) unless an LLM is configured and answered. */
export const ContextSummarySchema = z.object({
  text: z.string(),
  source: z.enum(['extractive', 'llm']),
  /** Set when an LLM is configured but its summary failed: why the extractive one is shown. */
  fallback: z.string().nullable(),
});

export const CustomerProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  plan: z.string(),
  vip: z.boolean(),
  preferredChannel: CustomerChannelSchema,
  customerSince: z.string(),
});

export const ContextOrderSchema = z.object({
  number: z.string(),
  status: OrderStatusSchema,
  placedAt: z.string(),
  totalCents: z.number().int(),
  currency: z.string(),
  shipments: z.array(
    z.object({
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string(),
      estimatedDelivery: z.string().nullable(),
      shippedAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});

/** One registered device, as its dashboard reports it. */
export const ContextDeviceSchema = z.object({
  serial: z.string(),
  model: z.string(),
  sku: z.string(),
  nickname: z.string().nullable(),
  firmware: z.string(),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
});

export const EarlierConversationSchema = z.object({
  id: z.string(),
  channel: ChannelNameSchema,
  startedAt: z.string(),
  /** Why it was handed off, null if it never was. */
  reason: z.string().nullable(),
  status: ConversationStatusSchema,
});

export const ContextCaseSchema = z.object({
  id: z.string(),
  kind: CaseKindSchema,
  status: CaseStatusSchema,
  summary: z.string(),
  createdAt: z.string(),
  conversationId: z.string().nullable(),
});

/** The verified customer's records. */
export const CustomerContextSchema = z.object({
  profile: CustomerProfileSchema,
  orders: z.array(ContextOrderSchema),
  devices: z.array(ContextDeviceSchema),
  earlierConversations: z.array(EarlierConversationSchema),
  cases: z.array(ContextCaseSchema),
});

export const ContextPackageSchema = z.object({
  summary: ContextSummarySchema,
  /** Null until the bot handed the conversation off. */
  handoff: HandoffContextSchema.nullable(),
  sentiment: z.array(SentimentPointSchema),
  tried: BotTriedSchema,
  /** Null unless this conversation verified the customer (and the verification holds). */
  customer: CustomerContextSchema.nullable(),
  /** Oldest first; each entry names its conversation and channel. Earlier conversations only for a verified customer. */
  transcript: z.array(ContextTranscriptEntrySchema),
});
export type ContextPackage = z.infer<typeof ContextPackageSchema>;
export type CustomerContext = z.infer<typeof CustomerContextSchema>;
export type BotTried = z.infer<typeof BotTriedSchema>;
export type ContextSummary = z.infer<typeof ContextSummarySchema>;
