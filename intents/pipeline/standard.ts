import type { NluEngine } from '../../core/nlu.js';
import { createEntityExtractor, type CatalogueEntry } from '../entities/index.js';
import type { PipelineComponent } from './component.js';
import { createPipeline } from './pipeline.js';
import {
  classifyComponent,
  entitiesComponent,
  languageComponent,
  normalizeComponent,
  outOfScopeComponent,
  sentimentComponent,
  type IntentRanker,
  type OutOfScopeRule,
} from './steps.js';
import { vocabularyComponent, type Vocabulary } from './vocabulary.js';

export interface StandardPipelineOptions {
  /** Who ranks the intents: the local classifier, Dialogflow, an LLM. Read at every parse. */
  ranker: () => IntentRanker;
  /** Who decides out of scope from that ranking. */
  outOfScope: () => OutOfScopeRule;
  orderNumberPattern: string;
  catalogue: readonly CatalogueEntry[];
  locale: string;
  now?: () => Date;
  /** The words the model was trained on; when given, a message made of none of them is out of scope ('gibberish'). */
  vocabulary?: () => Vocabulary;
}

/**
 * The one order every engine runs in: normalize → language → entities → classify →
 * out-of-scope → (vocabulary) → sentiment. Engines differ only in who ranks and who rejects.
 */
export function createStandardEngine(options: StandardPipelineOptions): NluEngine {
  const pipeline = createPipeline([
    normalizeComponent(),
    languageComponent(options.locale),
    entitiesComponent(
      createEntityExtractor({ orderNumberPattern: options.orderNumberPattern, catalogue: options.catalogue, ...(options.now ? { now: options.now } : {}) }),
    ),
    classifyComponent(options.ranker),
    outOfScopeComponent(options.outOfScope),
    ...(options.vocabulary ? [vocabularyComponent(options.vocabulary)] : ([] as PipelineComponent[])),
    sentimentComponent(),
  ]);
  return { parse: (text, context) => pipeline.run(text, context) };
}
