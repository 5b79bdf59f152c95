import { z } from 'zod';

/** Entity types the pipeline extracts. Values are canonical strings (E.164, ISO dates, SKUs). */
export const EntityTypeSchema = z.enum([
  'order_number',
  'email',
  'phone',
  'date',
  'money',
  'quantity',
  'product',
  'device',
]);
export type EntityType = z.infer<typeof EntityTypeSchema>;

export const EntitySchema = z.object({
  type: EntityTypeSchema,
  /** Canonical value: order number digits, lower-cased email, E.164 phone, ISO date, "49.99 USD", SKU. */
  value: z.string(),
  /** The text as the customer wrote it. */
  raw: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  confidence: z.number().min(0).max(1),
});
export type Entity = z.infer<typeof EntitySchema>;

export const IntentScoreSchema = z.object({ intent: z.string(), confidence: z.number().min(0).max(1) });
export type IntentScore = z.infer<typeof IntentScoreSchema>;

/**
 * Why a message was judged out of scope. The ranking is kept as it was; no score is overwritten.
 * `gibberish`: no word of the message is one the shop's model knows (keyboard mash, another language).
 */
export const OutOfScopeReasonSchema = z.enum(['low_confidence', 'ambiguous', 'oos_class', 'provider', 'gibberish']);
export type OutOfScopeReason = z.infer<typeof OutOfScopeReasonSchema>;

export const SentimentSchema = z.object({
  /** -1 (very negative) … 1 (very positive). */
  score: z.number().min(-1).max(1),
  /** 0 … 1: how frustrated the customer sounds (caps, repetition, "third time", "useless"). */
  frustration: z.number().min(0).max(1),
});
export type Sentiment = z.infer<typeof SentimentSchema>;

export const NluResultSchema = z.object({
  text: z.string(),
  locale: z.string(),
  /** The top in-scope intent, or null when the message is out of scope. */
  intent: z.string().nullable(),
  /** Confidence of the top-ranked intent (kept even when out of scope). */
  confidence: z.number().min(0).max(1),
  /** The whole ranking, best first, calibrated confidences. */
  ranking: z.array(IntentScoreSchema),
  outOfScope: z.object({ reason: OutOfScopeReasonSchema }).nullable(),
  entities: z.array(EntitySchema),
  sentiment: SentimentSchema,
  /** Which engine produced the intent: "local", "dialogflow", "llm". */
  provider: z.string(),
});
export type NluResult = z.infer<typeof NluResultSchema>;

/** What the conversation can tell the NLU about the turn (e.g. the bot just asked for an order number). */
export interface NluContext {
  locale?: string;
  /** The entity the bot asked for in its last message, if any. */
  expecting?: EntityType;
}

/** Anything that turns a customer's message into intents, entities and sentiment. */
export interface NluEngine {
  parse(text: string, context?: NluContext): Promise<NluResult>;
}

/** What the bot needs to know about an intent to act on it (loaded from `intents/*.yaml`). */
export const IntentActionSchema = z.object({
  name: z.string(),
  description: z.string().default(''),
  /** The flow this intent starts (e.g. "order_status"), if any. */
  flow: z.string().optional(),
  /** Canned responses, one picked per answer, when the intent needs no flow. */
  responses: z.array(z.string()).default([]),
  /** Always handed to a human (e.g. legal complaints). */
  humanOnly: z.boolean().default(false),
});
export type IntentAction = z.infer<typeof IntentActionSchema>;
