import { normalizeText, stem, tokenize } from './text.js';

/**
 * Sparse TF-IDF features: word 1-2-grams and skip-bigrams over stemmed tokens plus character 2-5-grams inside each
 * space-padded word (robust to typos and unseen inflections). N-grams are hashed (FNV-1a) into a
 * large bucket space without building substrings, then the buckets seen in training are mapped to
 * a compact index so the weight matrix only holds features that exist.
 */

export const HASH_BITS = 20;
const HASH_MASK = (1 << HASH_BITS) - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = 0x9e3779b1;
const BIGRAM_SEED = 0x85ebca6b;
const SKIP_SEED = 0x27d4eb2f;
const CHAR_MIN = 2;
const CHAR_MAX = 5;
/** An n-gram seen in one training phrase only cannot generalise; dropping it halves the model. */
const MIN_DF = 2;
/** Relative weights of the two blocks; equal was best of 0.7 / 1 / 1.5 on held-out splits. */
const WORD_BLOCK_WEIGHT = 1;
const CHAR_BLOCK_WEIGHT = 1;

export interface SparseVector {
  readonly index: Int32Array;
  readonly value: Float32Array;
}

function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Raw hashed n-grams of a text: word buckets and char buckets, repeats kept (they are term counts). */
export function hashedGrams(text: string): { words: number[]; chars: number[] } {
  const tokens = tokenize(normalizeText(text));
  const words: number[] = [];
  const chars: number[] = [];
  let previous = hashString('<s>', WORD_SEED);
  let before = previous;
  for (const token of tokens) {
    const stemmed = stem(token);
    const w = hashString(stemmed, WORD_SEED);
    words.push(mix(w) & HASH_MASK);
    words.push(mix(Math.imul(previous, 31) ^ w ^ BIGRAM_SEED) & HASH_MASK);
    // Skip-bigrams ("cancel _ order") tolerate an inserted word ("cancel my order").
    words.push(mix(Math.imul(before, 37) ^ w ^ SKIP_SEED) & HASH_MASK);
    before = previous;
    previous = w;
    const padded = ` ${token} `;
    for (let start = 0; start < padded.length; start++) {
      let h = FNV_OFFSET;
      for (let len = 1; len <= CHAR_MAX && start + len <= padded.length; len++) {
        h = Math.imul(h ^ padded.charCodeAt(start + len - 1), FNV_PRIME);
        if (len >= CHAR_MIN) chars.push(mix(h ^ len) & HASH_MASK);
      }
    }
  }
  if (tokens.length > 0) words.push(mix(Math.imul(previous, 31) ^ hashString('</s>', WORD_SEED) ^ BIGRAM_SEED) & HASH_MASK);
  return { words, chars };
}

/** The learned feature space: which buckets exist and their inverse document frequencies. */
export class FeatureSpace {
  /** bucket -> compact feature index, -1 when the bucket never occurred in training. */
  private readonly table: Int32Array;
  private readonly scratch: Float32Array;
  private readonly touched: Int32Array;

  constructor(
    readonly buckets: Int32Array,
    readonly idf: Float32Array,
    readonly isWord: Uint8Array,
  ) {
    this.table = new Int32Array(1 << HASH_BITS).fill(-1);
    for (let i = 0; i < buckets.length; i++) this.table[buckets[i]!] = i;
    this.scratch = new Float32Array(buckets.length);
    this.touched = new Int32Array(buckets.length);
  }

  get size(): number {
    return this.buckets.length;
  }

  /** TF-IDF vector (sublinear tf), each block L2-normalised, whole vector L2-normalised. */
  vectorize(text: string): SparseVector {
    const { words, chars } = hashedGrams(text);
    let n = 0;
    const add = (bucket: number): void => {
      const f = this.table[bucket]!;
      if (f < 0) return;
      if (this.scratch[f] === 0) this.touched[n++] = f;
      this.scratch[f] = this.scratch[f]! + 1;
    };
    for (const b of words) add(b);
    for (const b of chars) add(b);
    const index = this.touched.slice(0, n).sort();
    const value = new Float32Array(n);
    let wordNorm = 0;
    let charNorm = 0;
    for (let k = 0; k < n; k++) {
      const f = index[k]!;
      const v = (1 + Math.log(this.scratch[f]!)) * this.idf[f]!;
      this.scratch[f] = 0;
      value[k] = v;
      if (this.isWord[f] === 1) wordNorm += v * v;
      else charNorm += v * v;
    }
    const ws = wordNorm > 0 ? WORD_BLOCK_WEIGHT / Math.sqrt(wordNorm) : 0;
    const cs = charNorm > 0 ? CHAR_BLOCK_WEIGHT / Math.sqrt(charNorm) : 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const v = value[k]! * (this.isWord[index[k]!] === 1 ? ws : cs);
      value[k] = v;
      total += v * v;
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let k = 0; k < n; k++) value[k] = value[k]! * scale;
    return { index, value };
  }
}

/** Builds the feature space from training texts (document frequencies → smoothed idf). */
export function buildFeatureSpace(texts: readonly string[]): FeatureSpace {
  const df = new Map<number, number>();
  const wordBuckets = new Set<number>();
  for (const text of texts) {
    const { words, chars } = hashedGrams(text);
    const seen = new Set<number>();
    for (const b of words) {
      wordBuckets.add(b);
      seen.add(b);
    }
    for (const b of chars) seen.add(b);
    for (const b of seen) df.set(b, (df.get(b) ?? 0) + 1);
  }
  const sorted = [...df.keys()].filter((b) => df.get(b)! >= MIN_DF).sort((a, b) => a - b);
  const buckets = Int32Array.from(sorted);
  const idf = new Float32Array(sorted.length);
  const isWord = new Uint8Array(sorted.length);
  const n = texts.length;
  sorted.forEach((b, i) => {
    idf[i] = Math.log((1 + n) / (1 + df.get(b)!)) + 1;
    isWord[i] = wordBuckets.has(b) ? 1 : 0;
  });
  return new FeatureSpace(buckets, idf, isWord);
}
