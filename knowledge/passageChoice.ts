import { analyze } from './textAnalysis.js';

/** What the retriever knows of a passage when choosing which one of an article to quote. */
export interface PassageTerms {
  id: string;
  /** Analyzed terms of the passage's heading (as indexed) and text. */
  terms: ReadonlySet<string>;
  /** Analyzed terms of the article's title. */
  titleTerms: ReadonlySet<string>;
  /** A numbered list: the steps of a procedure. */
  procedure: boolean;
  /** The article's opening passage, before any heading. */
  opening: boolean;
}

/** "how do I set up…", "how can I pair…": asks for steps, which a numbered list gives. */
const HOW_TO = /^\s*(?:how (?:do|can|should|would) (?:i|we|you)|how to|what(?:'s| is) the (?:best )?way to|steps? to)\b/i;
export function isHowTo(query: string): boolean {
  return HOW_TO.test(query);
}

/** "what is care plus", "tell me about Care+": what the thing is, not one detail of it ("what are your opening hours"). */
const DEFINITION = /^\s*(?:what(?:'s| is)|whats|tell me about)\s+(?!the\b|your\b|my\b)/i;
/** A procedure's steps answer a how-to question a little better than prose that names the same words. */
const PROCEDURE_BONUS = 1.25;
/** Up to this many terms every word of a question matters ("do you take amex": accepting, cards). */
const SHORT_QUESTION_TERMS = 3;
/** What a passage covering none of the question keeps of its BM25 score: coverage tips close calls, it does not override. */
const COVERAGE_FLOOR = 0.5;
/** Shorter terms only match exactly: prefixes of short words are other words. */
const MIN_PREFIX = 5;

/**
 * Orders an article's matching passages by their BM25 score weighed by how much of the question
 * each one covers (the weights of the distinct query terms it holds), so a passage holding
 * every part of the question ("do you take amex": accepting, cards) beats one repeating a
 * single word ("Saving a card"). A near form counts ("private" and "privacy" share a stem
 * prefix). For a how-to question a numbered procedure also counts its article's title (the
 * steps are how to do what the title says) and gets a small bonus. Ties keep the BM25 order.
 */
export function orderByCoverage(query: string, candidates: ReadonlyArray<PassageTerms & { score: number }>, termWeight: (term: string) => number): string[] {
  const wanted = [...new Set(analyze(query))];
  if (wanted.length === 0) return candidates.map((c) => c.id);
  const howTo = HOW_TO.test(query);
  // "What is X" where every word is the title's ("what is care plus"): the article's subject as a
  // whole, which its opening answers.
  const aboutSubject = DEFINITION.test(query) && candidates.some((c) => c.opening && wanted.every((term) => holds(c.titleTerms, term)));
  if (aboutSubject) return [...candidates.filter((c) => c.opening), ...candidates.filter((c) => !c.opening)].map((c) => c.id);
  // In a longer question some words are filler ("if I return an opened laptop is there a fee"):
  // missing one says little, and BM25's order stands.
  if (wanted.length < 2 || (wanted.length > SHORT_QUESTION_TERMS && !howTo)) return candidates.map((c) => c.id);
  const total = wanted.reduce((sum, term) => sum + termWeight(term), 0);
  const scored = candidates.map((c, rank) => {
    const covers = (term: string): boolean => holds(c.terms, term) || (howTo && c.procedure && holds(c.titleTerms, term));
    const coverage = wanted.reduce((sum, term) => (covers(term) ? sum + termWeight(term) : sum), 0) / total;
    // The share of the question covered weighs the BM25 score.
    return { id: c.id, rank, score: c.score * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage) * (howTo && c.procedure ? PROCEDURE_BONUS : 1) };
  });
  return scored.sort((a, b) => b.score - a.score || a.rank - b.rank).map((s) => s.id);
}

/** Whether a set of analyzed terms holds a term or a near form of it ("privat"/"privaci"). */
export function holds(terms: ReadonlySet<string>, term: string): boolean {
  if (terms.has(term)) return true;
  if (term.length < MIN_PREFIX) return false;
  // Forms of one word differ in their last letter or two: "privat"/"privaci", "encrypt"/"encrypted".
  for (const t of terms) if (t.length >= MIN_PREFIX && commonPrefix(t, term) >= Math.max(MIN_PREFIX, Math.min(t.length, term.length) - 1)) return true;
  return false;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}
