import type { NluEngine } from '../../core/nlu.js';
import type { CatalogueEntry } from '../entities/index.js';
import type { ProviderVerdict } from '../pipeline/component.js';
import { createStandardEngine } from '../pipeline/standard.js';
import type { IntentRanker } from '../pipeline/steps.js';

export interface RemoteEngineOptions {
  ranker: IntentRanker;
  orderNumberPattern: string;
  catalogue: readonly CatalogueEntry[];
  locale?: string;
  now?: () => Date;
}

/**
 * A remote provider always returns its own verdict; if one ever does not, nothing is guessed:
 * the message is out of scope because the provider gave no answer.
 */
const NO_VERDICT = { decide: (): ProviderVerdict => ({ intent: null, confidence: 0, outOfScope: 'provider' }) };

/** An engine whose intents come from a remote provider; entities and sentiment stay local. */
export function createRemoteEngine(options: RemoteEngineOptions): NluEngine {
  return createStandardEngine({
    ranker: () => options.ranker,
    outOfScope: () => NO_VERDICT,
    orderNumberPattern: options.orderNumberPattern,
    catalogue: options.catalogue,
    locale: options.locale ?? 'en',
    ...(options.now ? { now: options.now } : {}),
  });
}
