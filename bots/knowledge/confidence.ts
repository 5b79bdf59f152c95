import type { RetrievedArticle } from '../../knowledge/index.js';

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

export function judgeRetrieval(lexical: readonly RetrievedArticle[]): RetrievalConfidence {
  const top = lexical[0];
  if (top === undefined) return 'none';
  const runnerUp = lexical[1]?.score ?? 0;
  if (top.score >= CONFIDENT_SCORE && top.score >= CONFIDENT_MARGIN * runnerUp) return 'confident';
  if (top.score >= TENTATIVE_SCORE) return 'tentative';
  return 'none';
}
