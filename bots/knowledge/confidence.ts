import { analyze, holdsTerm, splitPassages, type Article, type RetrievedArticle } from '../../knowledge/index.js';

/**
 * How sure retrieval is that its top article answers the question.
 * `confident`: quote it even when the customer wasn't asking the knowledge base (the fallback).
 * `tentative`: good enough when the customer asked a product or policy question.
 * `none`: don't guess.
 */
export type RetrievalConfidence = 'confident' | 'tentative' | 'none';

/*
 * Judged on the lexical BM25+ ranking, whose scores are comparable across questions of similar
 * length (the fused RRF score is not). Measured on the demo content: answerable questions score
 * 55–400, small talk and unrelated questions ("who won the game", "what is your name") under 40.
 */
const CONFIDENT_SCORE = 80;
const TENTATIVE_SCORE = 45;
/** The top article must stand out from the runner-up; two near-equal articles mean we don't know which. */
const CONFIDENT_MARGIN = 1.2;
/*
 * A middling score can rest on one word of a long message: "ok but my nephew says the shop by
 * the station does it cheaper" scores 67 on the lost-parcel article for "says" alone (its
 * "the tracking says delivered"). A tentative answer must hold at least this share of the
 * message's words (words no article uses count as not held: the message is about something
 * else). Measured on knowledge/eval/questions.jsonl: every question whose article ranks first
 * holds 0.4 or more; remarks and asides that drew an article hold 0.2–0.25.
 */
const TENTATIVE_COVERAGE = 1 / 3;

export function judgeRetrieval(question: string, lexical: readonly RetrievedArticle[]): RetrievalConfidence {
  const top = lexical[0];
  if (top === undefined) return 'none';
  const runnerUp = lexical[1]?.score ?? 0;
  if (top.score >= CONFIDENT_SCORE && top.score >= CONFIDENT_MARGIN * runnerUp) return 'confident';
  if (top.score >= TENTATIVE_SCORE && coverage(question, top.article) >= TENTATIVE_COVERAGE) return 'tentative';
  return 'none';
}

/** The share of the question's distinct analyzed words that the article (title, tags, products, text) holds. */
function coverage(question: string, article: Article): number {
  const wanted = [...new Set(analyze(question))];
  if (wanted.length === 0) return 0;
  const terms = termsOf(article);
  return wanted.filter((term) => holdsTerm(terms, term)).length / wanted.length;
}

/** Per article object: a publish builds new ones, so a changed article is analyzed again. */
const ARTICLE_TERMS = new WeakMap<Article, ReadonlySet<string>>();
function termsOf(article: Article): ReadonlySet<string> {
  let terms = ARTICLE_TERMS.get(article);
  if (terms === undefined) {
    const text = [article.title, ...article.tags, article.category, ...article.products, ...splitPassages(article).map((p) => `${p.heading} ${p.text}`)];
    terms = new Set(analyze(text.join(' ')));
    ARTICLE_TERMS.set(article, terms);
  }
  return terms;
}
