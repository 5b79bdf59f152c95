import type { Config } from '../../core/config.js';
import type { GenerativeAnswerer } from '../../core/grounding.js';
import type { StateBackend } from '../../core/stores.js';
import type { ArticleFeedback } from '../../db/article-feedback.js';
import type { CustomerClaims } from '../../db/customer-claims.js';
import type { KnowledgeBase, Retriever } from '../../knowledge/index.js';
import type { Flow } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import type { ProductCatalogue } from '../../db/products.js';
import { KnowledgeAnswerer, type ProductLookup } from '../knowledge/index.js';
import { HandoffFlow } from './handoff.js';
import { KnowledgeAnswerFlow } from './knowledge-answer.js';
import { OrderStatusFlow } from './order-status.js';
import { orderAndAccountFlows } from './order-and-account-flows.js';
import { RefundStatusFlow } from './refund-status.js';
import { ReturnsFlow } from './returns.js';
import type { ReturnsServices } from '../returns/services.js';
import type { OpenIncidents } from '../troubleshooting/outage.js';
import { TroubleshootingFlow } from './troubleshooting.js';
import { WarrantyFlow } from './warranty.js';

/** The published knowledge base and its index; replaced as a whole when an editor publishes. */
export interface KnowledgeSource {
  current(): { base: KnowledgeBase; retriever: Retriever };
}

/**
 * What flows may use. Built once in server/service.ts; flows take what they need. No database
 * handle: a customer's records are reached only through the `VerifiedCustomer` the gate yields.
 */
export interface FlowServices {
  /** The public catalogue, to resolve a named product. */
  products: ProductLookup & Pick<ProductCatalogue, 'offer'>;
  /** Who a typed email belongs to, for password-reset links sent to the address on file. */
  accounts: Pick<CustomerClaims, 'byEmail'>;
  feedback: Pick<ArticleFeedback, 'record'>;
  gate: IdentityGate;
  config: Config;
  knowledge: KnowledgeSource;
  /** Off (null) unless a chat model is configured. */
  generative: GenerativeAnswerer | null;
  /** The shop's name where the flows' words name it (SHOP_NAME in server/service.ts). */
  shopName: string;
  /** Public base URL for links in messages (article pages, return labels), without a trailing slash. */
  publicUrl(): string;
  /** Throttles and short-lived tokens shared by every server (password-reset links). */
  state: Pick<StateBackend, 'counters' | 'snapshots'>;
  /** Return policy, RMAs and signed label links (bots/returns/services.ts). */
  returns: ReturnsServices;
  /** Operator-declared outages (db/incidents.ts): troubleshooting an affected device says so instead of walking steps. */
  incidents?: OpenIncidents;
}

/** Every flow the bot can run, by the name intent files refer to (`flow: order_status`). */
export function buildFlows(services: FlowServices): ReadonlyMap<string, Flow> {
  const flows: Flow[] = [
    new OrderStatusFlow({ gate: services.gate, shopTimeZone: services.config.SHOP_TIME_ZONE }),
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
  const { products, gate } = services;
  return [
    new KnowledgeAnswerFlow({ products, feedback: services.feedback, knowledge: services.knowledge, answerer }),
    new TroubleshootingFlow({ products, gate, knowledge: services.knowledge, articleUrl, shopTimeZone: services.config.SHOP_TIME_ZONE, ...(services.incidents !== undefined ? { incidents: services.incidents } : {}) }),
    new WarrantyFlow({ products, gate, articleUrl, shopName: services.shopName }),
    ...returnFlows(services, articleUrl),
  ];
}

/** Returns and exchanges, and "where is my refund?". */
function returnFlows(services: FlowServices, articleUrl: (articleId: string) => string): Flow[] {
  return [
    new ReturnsFlow({ gate: services.gate, returns: services.returns, products: services.products, publicUrl: () => services.publicUrl() }),
    new RefundStatusFlow({ gate: services.gate, articleUrl, shopTimeZone: services.config.SHOP_TIME_ZONE }),
  ];
}
