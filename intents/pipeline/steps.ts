import type { IntentScore, NluContext } from '../../core/nlu.js';
import type { EntityExtractor } from '../entities/index.js';
import { analyzeSentiment } from './sentiment.js';
import { need, type PipelineComponent, type ProviderVerdict } from './component.js';

/** Unicode compatibility forms, zero-width characters and runs of spaces never carry meaning. */
export function normalizeComponent(): PipelineComponent {
  return {
    name: 'normalize',
    requires: [],
    provides: ['normalized'],
    run(state) {
      state.normalized = state.text.normalize('NFKC').replace(/[\u200b-\u200d\ufeff]/g, '').replace(/\s+/g, ' ').trim();
    },
  };
}

/** The shop's intents are written in one locale; the conversation may say otherwise. */
export function languageComponent(defaultLocale: string): PipelineComponent {
  return {
    name: 'language',
    requires: ['normalized'],
    provides: ['language'],
    run(state) {
      state.locale = state.context.locale ?? defaultLocale;
    },
  };
}

export function entitiesComponent(extractor: EntityExtractor): PipelineComponent {
  return {
    name: 'entities',
    requires: ['language'],
    provides: ['entities'],
    // Offsets refer to the customer's own text, so extraction reads the raw text, not the normalized one.
    run(state) {
      state.entities = extractor.extract(state.text, { expecting: state.context.expecting, locale: need(state, 'locale', 'entities') });
    },
  };
}

/** Anything that ranks intents: the local classifier, Dialogflow, an LLM, a fused ranker. */
export interface IntentRanker {
  readonly provider: string;
  rank(text: string, context: NluContext): Promise<{ ranking: IntentScore[]; verdict: ProviderVerdict | null }>;
}

export function classifyComponent(ranker: () => IntentRanker): PipelineComponent {
  return {
    name: 'classify',
    requires: ['normalized'],
    provides: ['ranking'],
    async run(state) {
      const current = ranker();
      const { ranking, verdict } = await current.rank(need(state, 'normalized', 'classify'), state.context);
      state.ranking = ranking;
      state.verdict = verdict;
      state.provider = current.provider;
    },
  };
}

/** The rule used when a provider gives no verdict of its own. Reads scores, never rewrites them. */
export interface OutOfScopeRule {
  decide(ranking: readonly IntentScore[]): ProviderVerdict;
}

export function outOfScopeComponent(rule: () => OutOfScopeRule): PipelineComponent {
  return {
    name: 'outOfScope',
    requires: ['ranking'],
    provides: ['decision'],
    run(state) {
      state.decision = state.verdict ?? rule().decide(need(state, 'ranking', 'outOfScope'));
    },
  };
}

export function sentimentComponent(): PipelineComponent {
  return {
    name: 'sentiment',
    requires: ['normalized'],
    provides: ['sentiment'],
    run(state) {
      state.sentiment = analyzeSentiment(state.text);
    },
  };
}
