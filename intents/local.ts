import type { Embeddings } from '@langchain/core/embeddings';
import type { IntentScore, NluEngine } from '../core/nlu.js';
import { trainClassifier, type TrainedClassifier, type TrainOptions } from './classifier/index.js';
import { Speller } from './classifier/spelling.js';
import type { CatalogueEntry } from './entities/index.js';
import type { ProviderVerdict } from './pipeline/component.js';
import { createStandardEngine } from './pipeline/standard.js';
import { Vocabulary } from './pipeline/vocabulary.js';
import type { IntentRanker, OutOfScopeRule } from './pipeline/steps.js';
import { buildEmbeddingIndex, fuseRankings, type EmbeddingIndex } from './providers/embeddings.js';
import type { IntentFile } from './schema.js';

export interface LocalNluOptions {
  intents: readonly IntentFile[];
  orderNumberPattern: string;
  catalogue: readonly CatalogueEntry[];
  /** Clock for relative dates ("tomorrow"); defaults to the system clock. */
  now?: () => Date;
  /** Optional sentence embeddings: a kNN over the training phrases fused into the classifier's ranking. */
  embeddings?: Embeddings;
  /** Share of the kNN scores in the fused ranking (default 0.3). */
  knnWeight?: number;
  /** Share of right answers the out-of-scope thresholds may give up (default SHOP_REJECT_BUDGET). */
  rejectBudget?: number;
}

/**
 * The shop's classifier may give up 3% of the right answers on its own held-out phrases (the
 * classifier's default is 1%): a false start walks a stranger into an order or account flow,
 * while a rejection costs one "could you rephrase that?". Measured in docs/benchmarks.md.
 */
export const SHOP_REJECT_BUDGET = 0.03;
/** The shop's few thousand phrases train in well under a second: the thresholds use all five held-out slices. */
export const SHOP_POLICY_FOLDS = 5;
/** How the shop's classifier is trained, by the bot and by `nlu eval`'s folds alike. */
export const SHOP_TRAINING: TrainOptions = { rejectBudget: SHOP_REJECT_BUDGET, policyFolds: SHOP_POLICY_FOLDS };

export type RetrainableNlu = NluEngine & {
  /** Retrains from edited intents; parses after it returns use the new model. */
  retrain(intents: readonly IntentFile[]): void;
};

/** Every phrase of every intent, the out-of-scope file included, as classifier examples. */
export function trainingExamples(intents: readonly IntentFile[]): Array<{ text: string; intent: string }> {
  return intents.flatMap((i) => i.phrases.map((text) => ({ text, intent: i.name })));
}

/** The local classifier as a ranker: the whole calibrated ranking, out-of-scope decided by its own policy. */
export function localRanker(
  classifier: () => TrainedClassifier,
  knn?: { index: () => Promise<EmbeddingIndex>; weight: number },
  speller?: () => Speller,
): IntentRanker & OutOfScopeRule {
  const rank = async (typed: string): Promise<IntentScore[]> => {
    const text = speller === undefined ? typed : speller().normalize(typed);
    return knn === undefined ? classifier().rank(text) : fuseRankings(classifier().rank(text), await (await knn.index()).score(text), knn.weight);
  };
  return {
    provider: 'local',
    rank: async (text) => ({ ranking: await rank(text), verdict: null }),
    decide: (ranking): ProviderVerdict => classifier().decide([...ranking]),
  };
}

/** Every word the local model can read: the training phrases (out-of-scope ones too) and the product names. */
export function trainingVocabulary(intents: readonly IntentFile[], catalogue: readonly CatalogueEntry[]): Vocabulary {
  return new Vocabulary([...intents.flatMap((i) => i.phrases), ...catalogue.map((p) => p.name)]);
}

/** The words misspellings are read as: the training phrases and the product names, as for the vocabulary. */
export function trainingSpeller(intents: readonly IntentFile[], catalogue: readonly CatalogueEntry[]): Speller {
  return new Speller([...intents.flatMap((i) => i.phrases), ...catalogue.map((p) => p.name)]);
}

/** The default engine: offline, trained from the intent files in well under a second. */
export function createLocalNlu(options: LocalNluOptions): RetrainableNlu {
  const train = (intents: readonly IntentFile[]): TrainedClassifier => trainClassifier(trainingExamples(intents), { ...SHOP_TRAINING, ...(options.rejectBudget === undefined ? {} : { rejectBudget: options.rejectBudget }) });
  let classifier = train(options.intents);
  let vocabulary = trainingVocabulary(options.intents, options.catalogue);
  let speller = trainingSpeller(options.intents, options.catalogue);
  const { embeddings } = options;
  // Embedding the phrases is async (a remote model may serve it); the first parse waits for it.
  let index: Promise<EmbeddingIndex> | undefined = embeddings ? buildEmbeddingIndex(embeddings, trainingExamples(options.intents)) : undefined;
  const knn = embeddings ? { index: () => index!, weight: options.knnWeight ?? 0.3 } : undefined;
  const ranker = localRanker(() => classifier, knn, () => speller);
  const engine = createStandardEngine({
    ranker: () => ranker,
    outOfScope: () => ranker,
    orderNumberPattern: options.orderNumberPattern,
    catalogue: options.catalogue,
    locale: options.intents[0]?.locale ?? 'en',
    vocabulary: () => vocabulary,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    parse: (text, context) => engine.parse(text, context),
    retrain(intents) {
      // Train first, swap after: a failed retrain leaves the working model in place.
      classifier = train(intents);
      vocabulary = trainingVocabulary(intents, options.catalogue);
      speller = trainingSpeller(intents, options.catalogue);
      if (embeddings) index = buildEmbeddingIndex(embeddings, trainingExamples(intents));
    },
  };
}
