import type { Entity } from '../../core/nlu.js';
import { entity, type EntityRecognizer } from './types.js';
import { tokensWithOffsets, wordSimilarity, type Token } from './fuzzy.js';

/** One product the shop sells. */
export interface CatalogueEntry {
  sku: string;
  name: string;
  category: string;
}

/** Words customers use for a kind of device; the key is the catalogue category. */
const DEVICE_WORDS: Readonly<Record<string, readonly string[]>> = {
  router: ['router', 'mesh', 'modem', 'node', 'satellite', 'extender'],
  camera: ['camera', 'cam', 'webcam', 'doorbell', 'security camera'],
  smart_plug: ['plug', 'smart plug', 'outlet', 'socket'],
  thermostat: ['thermostat', 'heating controller'],
  speaker: ['speaker', 'soundbar', 'smart speaker'],
  headphones: ['headphones', 'headphone', 'earbuds', 'earbud', 'buds', 'earphones', 'headset'],
  tv: ['tv', 'television', 'telly'],
  laptop: ['laptop', 'notebook', 'computer'],
};

// Words too common to name a product on their own ("one" in "Sound One", "pro" in "Mesh Pro").
const WEAK = new Set(['one', 'pro', 'max', 'mini', 'lite', 'plus', 'air', 'the', 'and', 'new', 'over', 'ear', 'outdoor', 'smart', 'home']);

/**
 * A word of a product name standing alone may carry a typo only when it is this long: one letter
 * off a short word is usually another English word ("well" is not the Wall Mount).
 */
const MIN_TYPO_WORD_ALONE = 6;

/** Endings of a verb's forms: "charg" + "e", "es", "ed", "ing". */
const VERB_ENDINGS = ['', 'e', 'es', 'ed', 'ing'];
/** A name word in -ing ("Charging" Case) is the verb customers use for what a device does ("it's not charging"). */
const GERUND = /^[a-z]{3,}ing$/;

/**
 * A verb does not name a product: "doesn't charge" or "charged twice" is not the Charger (one
 * letter off "charger"), "it won't extend" is not the Extender. Products are named by their
 * nouns; a noun in -er/-or is the doer of a verb, so that verb's forms are no typo of it.
 */
function verbFormOf(said: string, nameWord: string): boolean {
  if (said === nameWord || !/[a-z]{3}(?:er|or)$/.test(nameWord)) return false;
  const stem = nameWord.slice(0, -2);
  return VERB_ENDINGS.some((ending) => said === stem + ending);
}

interface Prepared {
  entry: CatalogueEntry;
  key: string[];
}

interface Candidate {
  entry: CatalogueEntry;
  start: number;
  end: number;
  tokens: number;
  score: number;
}

/**
 * Products from the catalogue (value: SKU) and device kinds (value: category), typo-tolerant:
 * "voltine cam 360" and "soundmax" still match. The shop's brand word is optional, and a single
 * word names a product only when no other product shares it.
 */
export function catalogueRecognizers(catalogue: readonly CatalogueEntry[]): { product: EntityRecognizer; device: EntityRecognizer } {
  const { prepared, brand } = prepare(catalogue);
  const wordCount = new Map<string, number>();
  for (const p of prepared) for (const w of new Set(p.key)) wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
  const categories = new Set(catalogue.map((c) => c.category));
  const deviceWords: Array<[string[], string]> = [];
  for (const category of categories.size > 0 ? categories : Object.keys(DEVICE_WORDS)) {
    const words = DEVICE_WORDS[category] ?? [category.replace(/_/g, ' ')];
    for (const w of words) deviceWords.push([w.split(' '), category]);
  }
  // A device word alone ("plug") names the kind of device, not one product, even if only one product has it.
  for (const words of Object.values(DEVICE_WORDS)) for (const w of words) wordCount.set(w, Infinity);
  return {
    product: { type: 'product', find: (text) => findProducts(text, prepared, wordCount, brand) },
    device: { type: 'device', find: (text) => findDevices(text, deviceWords) },
  };
}

function prepare(catalogue: readonly CatalogueEntry[]): { prepared: Prepared[]; brand: Set<string> } {
  const tokenized = catalogue.map((entry) => ({ entry, words: tokensWithOffsets(entry.name).map((t) => t.text) }));
  const frequency = new Map<string, number>();
  for (const t of tokenized) for (const w of new Set(t.words)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  // The brand is the word most names share; customers usually leave it out.
  const brand = new Set(catalogue.length >= 3 ? [...frequency].filter(([, n]) => n >= catalogue.length * 0.5).map(([w]) => w) : []);
  const prepared = tokenized.map(({ entry, words }) => {
    const key = words.filter((w) => !brand.has(w));
    return { entry, key: key.length > 0 ? key : words };
  });
  return { prepared, brand };
}

/** Matches key[k..] against tokens[i..], also accepting one token that spells two key words together. */
function matchFrom(tokens: Token[], i: number, key: string[], k: number): { tokens: number; words: number; similarity: number } {
  let ti = i;
  let ki = k;
  let similarity = 0;
  while (ti < tokens.length && ki < key.length) {
    const said = tokens[ti]!.text;
    const single = verbFormOf(said, key[ki]!) ? 0 : wordSimilarity(said, key[ki]!);
    const joined = ki + 1 < key.length ? wordSimilarity(said, key[ki]! + key[ki + 1]!) : 0;
    if (joined > 0 && joined >= single) {
      similarity += joined * 2;
      ki += 2;
    } else if (single > 0) {
      similarity += single;
      ki += 1;
    } else break;
    ti++;
  }
  return { tokens: ti - i, words: ki - k, similarity };
}

function findProducts(text: string, prepared: Prepared[], wordCount: Map<string, number>, brand: Set<string>): Entity[] {
  const tokens = tokensWithOffsets(text);
  const candidates: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const p of prepared) {
      for (let k = 0; k < p.key.length; k++) {
        const m = matchFrom(tokens, i, p.key, k);
        if (m.words === 0) continue;
        const matched = p.key.slice(k, k + m.words);
        const coverage = matched.join('').length / p.key.join('').length;
        const whole = m.words === p.key.length;
        const distinctive = m.words === 1 && matched[0]!.length >= 4 && !WEAK.has(matched[0]!) && !GERUND.test(matched[0]!) && wordCount.get(matched[0]!) === 1 && (m.similarity === 1 || matched[0]!.length >= MIN_TYPO_WORD_ALONE);
        if (!whole && !(m.words >= 2 && coverage >= 0.5) && !distinctive) continue;
        const last = tokens[i + m.tokens - 1]!;
        // "Voltline Cam 360" (or "voltine cam 360"): the brand belongs to the mention when it precedes it.
        const before = k === 0 ? tokens[i - 1] : undefined;
        const withBrand = before !== undefined && [...brand].some((b) => wordSimilarity(before.text, b) > 0);
        candidates.push({ entry: p.entry, start: (withBrand ? before : tokens[i])!.start, end: last.end, tokens: m.words, score: (m.similarity / m.words) * (0.5 + 0.5 * coverage) });
      }
    }
  }
  // Longest match first, then best score; a tie between two products on the same words is ambiguous.
  candidates.sort((a, b) => b.tokens - a.tokens || b.score - a.score || a.start - b.start);
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (chosen.some((o) => o.start < c.end && c.start < o.end)) continue;
    const rival = candidates.find((o) => o !== c && o.entry.sku !== c.entry.sku && o.start === c.start && o.end === c.end && o.tokens === c.tokens && o.score === c.score);
    if (rival) continue;
    chosen.push(c);
  }
  return chosen.map((c) => entity('product', c.entry.sku, text, c.start, c.end, Math.min(1, c.score)));
}

function findDevices(text: string, deviceWords: Array<[string[], string]>): Entity[] {
  const tokens = tokensWithOffsets(text);
  const found: Entity[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const [words, category] of deviceWords) {
      let similarity = 0;
      let j = 0;
      for (; j < words.length && i + j < tokens.length; j++) {
        const said = tokens[i + j]!.text;
        const expected = words[j]!;
        // Plurals are the same device ("cameras").
        const s = Math.max(wordSimilarity(said, expected), said === `${expected}s` ? 1 : 0);
        if (s === 0) break;
        similarity += s;
      }
      if (j < words.length) continue;
      const end = tokens[i + j - 1]!.end;
      if (found.some((f) => f.start < end && tokens[i]!.start < f.end)) continue;
      found.push(entity('device', category, text, tokens[i]!.start, end, similarity / words.length));
    }
  }
  return found;
}
