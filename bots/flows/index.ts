import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.js';
import type { Notifier } from '../../core/notifier.js';
import type { ShopQueries } from '../../db/orders.js';
import type { Database } from '../../db/schema.js';
import type { KnowledgeBase, Retriever } from '../../knowledge/index.js';
import type { Flow } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import { HandoffFlow } from './handoff.js';
import { OrderStatusFlow } from './order-status.js';

/** The published knowledge base and its index; replaced as a whole when an editor publishes. */
export interface KnowledgeSource {
  current(): { base: KnowledgeBase; retriever: Retriever };
}

/** A passage a generated answer may use, with where it came from. */
export interface GroundingPassage {
  articleId: string;
  title: string;
  url: string;
  text: string;
}

/**
 * Optional generative answers (langchain chat model): grounded only in the passages given,
 * citing them, or null when the passages don't support an answer.
 */
export interface GenerativeAnswerer {
  answer(question: string, passages: GroundingPassage[]): Promise<{ text: string; citedArticleIds: string[] } | null>;
}

/** What flows may use. Built once in server/service.ts; flows take what they need. */
export interface FlowServices {
  db: Kysely<Database>;
  shop: ShopQueries;
  gate: IdentityGate;
  config: Config;
  notifier: Notifier;
  knowledge: KnowledgeSource;
  /** Off (null) unless a chat model is configured. */
  generative: GenerativeAnswerer | null;
  /** Public base URL for links in messages (article pages, return labels), without a trailing slash. */
  publicUrl(): string;
}

/** Every flow the bot can run, by the name intent files refer to (`flow: order_status`). */
export function buildFlows(services: FlowServices): ReadonlyMap<string, Flow> {
  const flows: Flow[] = [
    new OrderStatusFlow({ shop: services.shop, gate: services.gate, orderNumberPattern: services.config.ORDER_NUMBER_PATTERN }),
    new HandoffFlow(),
  ];
  return new Map(flows.map((f) => [f.name, f]));
}
