import { glossTokens } from './glossary.js';
import { normalizeText, stem, tokenize } from './text.js';

/**
 * Shorter words are left as typed: at four or five letters almost every word is one edit from
 * some other word ("cord" / "card", "lost" / "last"), so a correction there is a guess.
 */
const MIN_LENGTH = 6;
/** How much less likely each edit makes a word: a word two edits away must be this many times more common to win. */
const EDIT_PENALTY = 20;
/** From this length two edits still leave the word recognisable ("warenty" → "warranty"). */
const TWO_EDITS_FROM = 7;

/**
 * Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), given up as soon
 * as it exceeds `limit`: the speller only cares whether a word is one or two edits away.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, twoBack[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    twoBack = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Spelling normalisation before classification: a word the model never saw that is one edit
 * (two for long words) from a trained word is read as that word ("warenty" → "warranty",
 * "recieved" → "received"). The classifier's character n-grams tolerate one typo in a long
 * word, not the two a phone keyboard makes, and a misspelt keyword then loses to the order
 * number beside it. Only the classifier reads the corrected words: the gibberish guard and the
 * entity extractor see what the customer typed.
 */
export class Speller {
  /** Trained surface words, most frequent first (the tie-break between equally near words). */
  private readonly byLength = new Map<number, Array<{ word: string; count: number }>>();
  private readonly known = new Set<string>();

  constructor(texts: Iterable<string>) {
    const counts = new Map<string, number>();
    for (const text of texts) for (const token of tokenize(normalizeText(text))) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [word, count] of counts) {
      this.known.add(word);
      this.known.add(stem(word));
      if (!/^\p{L}+$/u.test(word)) continue;
      const bucket = this.byLength.get(word.length) ?? [];
      bucket.push({ word, count });
      this.byLength.set(word.length, bucket);
    }
    for (const bucket of this.byLength.values()) bucket.sort((x, y) => y.count - x.count || (x.word < y.word ? -1 : 1));
  }

  /** The trained word a token was meant to be, or null when it is known, too short, or near none. */
  correct(token: string): string | null {
    if (token.length < MIN_LENGTH || !/^\p{L}+$/u.test(token) || this.known.has(token) || this.known.has(stem(token))) return null;
    const limit = token.length >= TWO_EDITS_FROM ? 2 : 1;
    let best: { word: string; score: number } | null = null;
    for (let length = token.length - limit; length <= token.length + limit; length++) {
      for (const { word, count } of this.byLength.get(length) ?? []) {
        // The first letter is kept: people rarely mistype it, and it rules out most accidental neighbours.
        if (word[0] !== token[0]) continue;
        const distance = editDistance(token, word, limit);
        if (distance > limit) continue;
        // Nearer words win unless a farther one is far more common (Norvig's P(word)·P(typo)):
        // "warenty" is the everyday "warranty", not the rare "warrenty" that one phrase spells.
        const score = count / EDIT_PENALTY ** distance;
        if (best === null || score > best.score) best = { word, score };
      }
    }
    return best?.word ?? null;
  }

  /** The message with the shop's words in other languages glossed and each misspelt word replaced by the trained word it was meant to be. */
  normalize(text: string): string {
    const typed = tokenize(normalizeText(text));
    const tokens = glossTokens(typed);
    let changed = tokens.length !== typed.length || tokens.some((t, i) => t !== typed[i]);
    const out = tokens.map((token) => {
      const corrected = this.correct(token);
      if (corrected === null) return token;
      changed = true;
      return corrected;
    });
    return changed ? out.join(' ') : text;
  }
}
