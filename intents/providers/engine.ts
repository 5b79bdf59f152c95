import type { NluContext, NluEngine, NluResult } from '../../core/nlu.js';
import { createEntityExtractor, type CatalogueEntry } from '../entities/index.js';
import type { ProviderVerdict } from '../pipeline/component.js';
import { createPipeline } from '../pipeline/pipeline.js';
import {
  classifyComponent,
  entitiesComponent,
  languageComponent,
  normalizeComponent,
  outOfScopeComponent,
  sentimentComponent,
  type IntentRanker,
} from '../pipeline/steps.js';

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
  const pipeline = createPipeline([
    normalizeComponent(),
    languageComponent(options.locale ?? 'en'),
    entitiesComponent(createEntityExtractor({ orderNumberPattern: options.orderNumberPattern, catalogue: options.catalogue, ...(options.now ? { now: options.now } : {}) })),
    classifyComponent(() => options.ranker),
    outOfScopeComponent(() => NO_VERDICT),
    sentimentComponent(),
  ]);
  return { parse: (text: string, context?: NluContext): Promise<NluResult> => pipeline.run(text, context) };
}
