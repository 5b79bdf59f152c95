import { stemmer } from 'stemmer';
import { CANONICAL_PHRASES, COMMON_MISSPELLINGS, SYNONYM_GROUPS, STOP_WORDS } from './synonyms.js';

/**
 * Turns article text and customer text into the same index terms, so that "wi-fi keeps
 * droping", "WiFi drops" and "Wi-Fi dropouts" meet: lower-case, strip accents, rewrite known
 * phrases to one canonical word, drop stop words, fix common misspellings, stem, then map
 * synonyms onto one representative stem.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const word of normalize(text).split(/[^a-z0-9]+/)) {
    if (word === '' || STOP_WORDS.has(word)) continue;
    const spelled = COMMON_MISSPELLINGS.get(word) ?? word;
    const stem = stemWord(spelled);
    if (stem.length < 2 && !/\d/.test(stem)) continue;
    terms.push(SYNONYM_BY_STEM.get(stem) ?? stem);
  }
  return terms;
}

/** Lower-cased, accent-free text with known multi-word phrases rewritten to their canonical word. */
export function normalize(text: string): string {
  let out = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/(\w)'(s|t|re|ve|ll|d|m)\b/g, (_m, a: string, b: string) => (b === 't' ? `${a}t` : a));
  for (const [pattern, replacement] of PHRASE_PATTERNS) out = out.replace(pattern, ` ${replacement} `);
  return out;
}

function stemWord(word: string): string {
  // Digits and model numbers ("ax6", "55") are identifiers: stemming would only mangle them.
  return /\d/.test(word) ? word : stemmer(word);
}

const PHRASE_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = CANONICAL_PHRASES.map(([phrases, canonical]) => [
  // Not \b: a phrase ending in a symbol ("care+") has no word boundary after it and would never match.
  new RegExp(`(?<![a-z0-9])(?:${phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|')})(?![a-z0-9])`, 'g'),
  canonical,
]);

/** Every stem of a synonym group points at the stem of the group's first word. */
const SYNONYM_BY_STEM: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const group of SYNONYM_GROUPS) {
    const [head, ...rest] = group.map((word) => stemWord(word));
    if (head === undefined) continue;
    for (const stem of rest) if (stem !== head) map.set(stem, head);
  }
  return map;
})();
