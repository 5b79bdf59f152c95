import MiniSearch, { type SearchOptions } from 'minisearch';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SwitchboardError } from '../core/errors.js';
import type { Article, ArticleCategory } from './articleSchema.js';
import { excerptFor } from './excerpt.js';
import { cosineSimilarity, reciprocalRankFusion } from './fusion.js';
import { orderByCoverage, type PassageTerms } from './passageChoice.js';
import { splitPassages, type Passage } from './passages.js';
import { productNamesFor } from './products.js';
import { analyze } from './textAnalysis.js';

export interface RetrieverOptions {
  /** Adds semantic ranking, fused with the lexical one by reciprocal rank fusion. */
  embeddings?: EmbeddingsInterface;
  /**
   * Passage vectors by passage text, shared across rebuilds so that publishing one article
   * re-embeds only its passages. Pass the same Map to every `createRetriever` call.
   */
  embeddingCache?: Map<string, number[]>;
}

export interface RetrieveOptions {
  /** A device family ("camera") or product name ("Voltline Cam 360"): keeps articles for it. */
  product?: string;
  /** With `product`: also keep articles that name no product (shipping, refunds…). Default true. */
  includeGeneral?: boolean;
  /** Keeps articles in this language ("en-GB" matches "en" articles). */
  locale?: string;
  category?: ArticleCategory;
  /** Only this article: which of its passages answers (one part of a question about it). */
  articleId?: string;
  /** How many articles to return. Default 5. */
  limit?: number;
}

/** One ranked article with the passage to quote from it. */
export interface RetrievedArticle {
  article: Article;
  /** Lexical BM25+ score, or the fused RRF score when semantic ranking took part. Higher is better. */
  score: number;
  passage: { id: string; heading: string; markdown: string; excerpt: string };
  /** 1-based ranks in each ranking (null when the article was not in it). */
  ranks: { lexical: number | null; semantic: number | null };
}

export interface Retriever {
  readonly articleCount: number;
  readonly passageCount: number;
  /** Lexical ranking, fused with semantic ranking when embeddings were configured. */
  search(query: string, options?: RetrieveOptions): Promise<RetrievedArticle[]>;
  /** Lexical ranking only; synchronous. */
  searchLexical(query: string, options?: RetrieveOptions): RetrievedArticle[];
}

interface PassageDoc {
  id: string;
  articleId: string;
  title: string;
  heading: string;
  tags: string;
  products: string;
  text: string;
}

/** Field weights: a title or tag match says more about what an article is for than one word in its body. */
const BOOST = { title: 3, heading: 1.5, tags: 2, products: 1.5, text: 1 } as const;
/** How much an article's second-best passage adds: articles that answer in several places rank higher. */
const SECOND_PASSAGE_WEIGHT = 0.3;
/** Candidates each ranking contributes to fusion. */
const FUSION_DEPTH = 30;

const SEARCH_OPTIONS: SearchOptions = {
  boost: BOOST,
  combineWith: 'OR',
  // Typos in short words produce other real words ("pair" → "hair"); only longer words get fuzzy.
  fuzzy: (term) => (term.length >= 6 ? 0.25 : term.length >= 4 ? 0.2 : false),
  prefix: (term) => term.length >= 4,
  weights: { fuzzy: 0.4, prefix: 0.35 },
};

/**
 * Builds the index over the PUBLISHED articles. Cheap (an in-memory index of a few hundred
 * passages): call it again with the new article list whenever an editor publishes.
 */
export function createRetriever(articles: readonly Article[], options: RetrieverOptions = {}): Retriever {
  const published = articles.filter((a) => a.status === 'published');
  const byId = new Map(published.map((a) => [a.id, a]));
  const passages = published.flatMap((a) => splitPassages(a));
  const passageById = new Map(passages.map((p) => [p.id, p]));
  const termWeight = inverseDocumentFrequency(passages.map((p) => p.text));

  const index = new MiniSearch<PassageDoc>({
    fields: ['title', 'heading', 'tags', 'products', 'text'],
    storeFields: ['articleId'],
    tokenize: analyze,
    processTerm: (term) => term,
    searchOptions: SEARCH_OPTIONS,
  });
  const docs = passages.map((p): PassageDoc => {
      const article = byId.get(p.articleId) as Article;
      return {
        id: p.id,
        articleId: p.articleId,
        title: article.title,
        // An opening passage of some length sums up the article, so it carries the title as its
        // heading: a question about the article as a whole ("what payment methods…") quotes the
        // overview. A one-line intro answers nothing and gets no such help.
        heading: p.heading === article.title ? (isOverview(p) ? article.title : '') : p.heading,
        tags: [...article.tags, article.category].join(' '),
        products: article.products.join(' '),
        text: p.text,
      };
    });
  index.addAll(docs);
  const passageTerms = new Map<string, PassageTerms>(
    passages.map((p, i) => {
      const doc = docs[i]!;
      const terms = new Set(analyze(`${doc.heading} ${doc.text}`));
      return [p.id, { id: p.id, terms, titleTerms: new Set(analyze(doc.title)), procedure: /^\s*\d+[.)]\s/m.test(p.markdown), opening: p.id === `${p.articleId}#0` }];
    }),
  );
  /** An article's passages, the one covering most of the question first (`orderByCoverage`). */
  const bestPassagesFirst = (query: string, ids: readonly string[], scores: readonly number[]): string[] =>
    orderByCoverage(
      query,
      ids.flatMap((id, i) => {
        const terms = passageTerms.get(id);
        return terms === undefined ? [] : [{ ...terms, score: scores[i] ?? 0 }];
      }),
      termWeight,
    );

  const allowedArticles = (opts: RetrieveOptions): Set<string> => {
    const names = opts.product === undefined ? undefined : productNamesFor(opts.product);
    const language = opts.locale?.split('-')[0]?.toLowerCase();
    const allowed = new Set<string>();
    for (const a of published) {
      if (opts.category !== undefined && a.category !== opts.category) continue;
      if (opts.articleId !== undefined && a.id !== opts.articleId) continue;
      if (language !== undefined && a.locale.split('-')[0]?.toLowerCase() !== language) continue;
      if (names !== undefined) {
        const general = a.products.length === 0 && (opts.includeGeneral ?? true);
        if (!general && !a.products.some((p) => names.has(p.toLowerCase()))) continue;
      }
      allowed.add(a.id);
    }
    return allowed;
  };

  /** Articles best first, each with its passages best first. */
  const lexicalRanking = (query: string, allowed: Set<string>): Array<{ articleId: string; score: number; passages: string[] }> => {
    const hits = index.search(query, { filter: (r) => allowed.has(r['articleId'] as string) });
    const grouped = new Map<string, { scores: number[]; passages: string[] }>();
    for (const hit of hits) {
      const articleId = hit['articleId'] as string;
      const entry = grouped.get(articleId) ?? { scores: [], passages: [] };
      entry.scores.push(hit.score);
      entry.passages.push(String(hit.id));
      grouped.set(articleId, entry);
    }
    return [...grouped.entries()]
      .map(([articleId, { scores, passages: ids }]) => ({
        articleId,
        score: (scores[0] ?? 0) + SECOND_PASSAGE_WEIGHT * (scores[1] ?? 0),
        passages: bestPassagesFirst(query, ids, scores),
      }))
      .sort((a, b) => b.score - a.score || a.articleId.localeCompare(b.articleId));
  };

  const toResult = (articleId: string, passageId: string | undefined, query: string, score: number, ranks: RetrievedArticle['ranks']): RetrievedArticle => {
    const article = byId.get(articleId) as Article;
    const passage: Passage | undefined = (passageId === undefined ? undefined : passageById.get(passageId)) ?? passages.find((p) => p.articleId === articleId);
    return {
      article,
      score,
      passage: {
        id: passage?.id ?? `${articleId}#0`,
        heading: passage?.heading ?? article.title,
        markdown: passage?.markdown ?? '',
        excerpt: passage === undefined ? '' : excerptFor(passage.text, query, undefined, termWeight),
      },
      ranks,
    };
  };

  const searchLexical = (query: string, opts: RetrieveOptions = {}): RetrievedArticle[] => {
    const ranking = lexicalRanking(query, allowedArticles(opts));
    return ranking
      .slice(0, opts.limit ?? 5)
      .map((r, i) => toResult(r.articleId, r.passages[0], query, r.score, { lexical: i + 1, semantic: null }));
  };

  const embeddings = options.embeddings;
  const cache = options.embeddingCache ?? new Map<string, number[]>();
  const embedText = (p: Passage): string => `${byId.get(p.articleId)?.title ?? ''}. ${p.heading}. ${p.text}`;
  let vectorsReady: Promise<void> | undefined;
  const ensureVectors = (model: EmbeddingsInterface): Promise<void> => {
    vectorsReady ??= (async () => {
      const missing = [...new Set(passages.map(embedText).filter((t) => !cache.has(t)))];
      if (missing.length === 0) return;
      const vectors = await model.embedDocuments(missing);
      missing.forEach((text, i) => {
        const vector = vectors[i];
        if (vector !== undefined) cache.set(text, vector);
      });
    })().catch((error: unknown) => {
      vectorsReady = undefined; // let the next question retry instead of caching the failure
      throw error;
    });
    return vectorsReady;
  };

  const search = async (query: string, opts: RetrieveOptions = {}): Promise<RetrievedArticle[]> => {
    if (embeddings === undefined) return searchLexical(query, opts);
    const allowed = allowedArticles(opts);
    const lexical = lexicalRanking(query, allowed).slice(0, FUSION_DEPTH);
    let queryVector: number[];
    try {
      await ensureVectors(embeddings);
      queryVector = await embeddings.embedQuery(query);
    } catch (error) {
      throw new SwitchboardError('SB_ERR_UNAVAILABLE', 'The embeddings model did not answer; use lexical search or check the model', [
        { path: 'embeddings', message: error instanceof Error ? error.message : String(error) },
      ], { cause: error });
    }
    const bestPassage = new Map<string, { passageId: string; similarity: number }>();
    for (const p of passages) {
      if (!allowed.has(p.articleId)) continue;
      const vector = cache.get(embedText(p));
      if (vector === undefined) continue;
      const similarity = cosineSimilarity(queryVector, vector);
      const current = bestPassage.get(p.articleId);
      if (current === undefined || similarity > current.similarity) bestPassage.set(p.articleId, { passageId: p.id, similarity });
    }
    const semantic = [...bestPassage.entries()]
      .sort((a, b) => b[1].similarity - a[1].similarity || a[0].localeCompare(b[0]))
      .slice(0, FUSION_DEPTH)
      .map(([articleId]) => articleId);
    const lexicalIds = lexical.map((r) => r.articleId);
    const fused = reciprocalRankFusion([lexicalIds, semantic]);
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, opts.limit ?? 5)
      .map(([articleId, score]) => {
        const lexicalIndex = lexicalIds.indexOf(articleId);
        const semanticIndex = semantic.indexOf(articleId);
        const passageId = lexical[lexicalIndex]?.passages[0] ?? bestPassage.get(articleId)?.passageId;
        return toResult(articleId, passageId, query, score, {
          lexical: lexicalIndex === -1 ? null : lexicalIndex + 1,
          semantic: semanticIndex === -1 ? null : semanticIndex + 1,
        });
      });
  };

  return { articleCount: published.length, passageCount: passages.length, search, searchLexical };
}

/** log(1 + N / df) over passages: a word most passages use ("return", "order") picks no sentence. */
function inverseDocumentFrequency(texts: readonly string[]): (term: string) => number {
  const df = new Map<string, number>();
  for (const text of texts) for (const term of new Set(analyze(text))) df.set(term, (df.get(term) ?? 0) + 1);
  const n = Math.max(texts.length, 1);
  return (term) => Math.log(1 + n / (df.get(term) ?? 1));
}

/** Words an opening passage needs to count as the article's overview. */
const OVERVIEW_WORDS = 30;

function isOverview(p: Passage): boolean {
  return p.id === `${p.articleId}#0` && p.text.split(/\s+/).length >= OVERVIEW_WORDS;
}
