import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.js';
import type { Notifier } from '../../core/notifier.js';
import type { StateBackend } from '../../core/stores.js';
import type { ShopQueries } from '../../db/orders.js';
import type { Database } from '../../db/schema.js';
import type { KnowledgeBase, Retriever } from '../../knowledge/index.js';
import type { Flow } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import { CaseRepository } from '../../db/cases.js';
import { KnowledgeAnswerer } from '../knowledge/index.js';
import { HandoffFlow } from './handoff.js';
import { KnowledgeAnswerFlow } from './knowledge-answer.js';
import { OrderStatusFlow } from './order-status.js';
import { orderAndAccountFlows } from './order-and-account-flows.js';
import { RefundStatusFlow } from './refund-status.js';
import { ReturnsFlow } from './returns.js';
import type { ReturnsServices } from '../returns/services.js';
import { TroubleshootingFlow } from './troubleshooting.js';
import { WarrantyFlow } from './warranty.js';

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
  /** Throttles and short-lived tokens shared by every server (password-reset links). */
  state: Pick<StateBackend, 'counters' | 'snapshots'>;
  /** Return policy, RMAs and signed label links (bots/returns/services.ts). */
  returns: ReturnsServices;
}

/** Every flow the bot can run, by the name intent files refer to (`flow: order_status`). */
export function buildFlows(services: FlowServices): ReadonlyMap<string, Flow> {
  const flows: Flow[] = [
    new OrderStatusFlow({ shop: services.shop, gate: services.gate }),
    new HandoffFlow(),
    ...selfServiceFlows(services),
    ...orderAndAccountFlows(services),
  ];
  return new Map(flows.map((f) => [f.name, f]));
}

/** Knowledge answers, guided troubleshooting and warranty: the flows that answer from content and device data. */
function selfServiceFlows(services: FlowServices): Flow[] {
  const answerer = new KnowledgeAnswerer({ knowledge: services.knowledge, generative: services.generative, publicUrl: () => services.publicUrl() });
  const articleUrl = (articleId: string) => answerer.articleUrl(articleId);
  const cases = new CaseRepository(services.db);
  return [
    new KnowledgeAnswerFlow({ db: services.db, knowledge: services.knowledge, answerer }),
    new TroubleshootingFlow({ db: services.db, shop: services.shop, gate: services.gate, cases, knowledge: services.knowledge, articleUrl }),
    new WarrantyFlow({ db: services.db, gate: services.gate, cases, articleUrl }),
    ...returnFlows(services, articleUrl),
  ];
}

/** Returns and exchanges, and "where is my refund?". */
function returnFlows(services: FlowServices, articleUrl: (articleId: string) => string): Flow[] {
  const common = { shop: services.shop, gate: services.gate, returns: services.returns };
  return [new ReturnsFlow({ ...common, publicUrl: () => services.publicUrl() }), new RefundStatusFlow({ ...common, articleUrl })];
}
