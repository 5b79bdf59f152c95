import { splitSentences } from './renderPassage.js';
import { isHowTo } from './passageChoice.js';
import { analyze } from './textAnalysis.js';

/**
 * The part of a passage worth quoting for a query: the sentence sharing most terms with the
 * query, widened with its neighbours while it fits `maxChars`. Always whole sentences, except
 * when a single sentence is longer than `maxChars` (then cut at a word, with an ellipsis).
 * `termWeight` lets rare terms count for more: in "do you accept PayPal?" the sentence naming
 * PayPal answers, not the one that only says "accept".
 */
/** How much a term in the sentence after the best one counts. */
const NEXT_SENTENCE_WEIGHT = 0.5;

export function excerptFor(plainText: string, query: string, maxChars = 320, termWeight: (term: string) => number = () => 1): string {
  const sentences = splitSentences(plainText);
  if (sentences.length === 0) return '';
  const wanted = new Set(analyze(query));
  const termsOf = sentences.map((sentence) => new Set(analyze(sentence)));
  let best = 0;
  let bestScore = -1;
  sentences.forEach((_sentence, i) => {
    const terms = termsOf[i]!;
    let score = 0;
    for (const term of wanted) if (terms.has(term)) score += termWeight(term);
    // The quote reads on from its sentence, so what the next one adds counts for half: "…encrypted
    // with Advanced privacy. Even staff can't view them." answers "can your employees watch it".
    const next = termsOf[i + 1];
    if (score > 0 && next !== undefined) for (const term of wanted) if (next.has(term) && !terms.has(term)) score += NEXT_SENTENCE_WEIGHT * termWeight(term);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const length = (from: number, to: number): number => sentences.slice(from, to + 1).join(' ').length;
  // A lead-in sentence ("To reset it:") is useless without what follows, so start from it and read on.
  // A how-to question is answered by the steps, read from the first one.
  const firstStep = isHowTo(query) ? sentences.findIndex((sentence) => /^1[.)](?:\s|$)/.test(sentence)) : -1;
  let start = firstStep >= 0 ? firstStep : best;
  let end = start;
  if ((sentences[start] ?? '').length > maxChars) return cut(sentences[start] ?? '', maxChars);
  for (;;) {
    const canGrowEnd = end + 1 < sentences.length && length(start, end + 1) <= maxChars;
    const canGrowStart = start > 0 && length(start - 1, end) <= maxChars;
    if (canGrowStart && /:$/.test(sentences[start - 1] ?? '')) start -= 1;
    else if (canGrowEnd) end += 1;
    // At the end of a passage, read back: the rows above "…until January 15" are the other windows.
    else if (canGrowStart) start -= 1;
    else break;
  }
  // A step's number without its step ("4.") says nothing.
  while (end > start && /^\d+[.)]$/.test(sentences[end] ?? '')) end -= 1;
  const picked = sentences.slice(start, end + 1);
  const isList = picked.some((s) => /^(•|\d+[.)])\s/.test(s));
  return picked.join(isList ? '\n' : ' ');
}

function cut(sentence: string, maxChars: number): string {
  const slice = sentence.slice(0, maxChars - 1);
  const lastSpace = slice.lastIndexOf(' ');
  return `${(lastSpace > maxChars / 2 ? slice.slice(0, lastSpace) : slice).replace(/[,;:\s]+$/, '')}…`;
}
