import type { Entity } from '../../core/nlu.js';
import { namesShopWordAbroad } from '../classifier/glossary.js';
import { normalizeText, stem, tokenize } from '../classifier/text.js';
import { need, type PipelineComponent } from './component.js';

/**
 * Below this share of known words a message is not something the model can read. A linear
 * classifier always ranks some intent first, and character n-grams of keyboard mash ("asdkjh
 * qwpoeiru") overlap enough with real words to push one over the thresholds; this is the guard.
 * Half: one typo'd word in two still reads, one real word among three strange ones does not.
 */
export const MIN_KNOWN_SHARE = 0.5;
/** Shorter words are not matched with a typo: "blorp" must not become "block", "xkcd" nothing. */
const MIN_FUZZY_LENGTH = 4;
/** How much a word known only through one typo counts towards MIN_KNOWN_SHARE. */
const TYPO_CREDIT = 0.5;

export interface VocabularyVerdict {
  gibberish: boolean;
  /** Words of the message (tokens with letters and no digits). */
  words: number;
  /** How many of them the model knows, exactly or within one typo. */
  known: number;
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * The words the shop's model was trained on (stemmed), with one-typo tolerance through single
 * deletions (SymSpell's trick: a missing, extra, swapped or replaced letter leaves a shared
 * deletion), so "wher is my ordr" is known and "xkcd blorp" is not. Built with the classifier.
 */
export class Vocabulary {
  private readonly words = new Set<string>();
  private readonly deleted = new Set<string>();

  constructor(texts: Iterable<string>) {
    for (const text of texts) {
      for (const token of tokenize(normalizeText(text))) {
        const word = stem(token);
        if (this.words.has(word)) continue;
        this.words.add(word);
        if (word.length >= MIN_FUZZY_LENGTH) for (const d of deletions(word)) this.deleted.add(d);
      }
    }
  }

  get size(): number {
    return this.words.size;
  }

  /** Whether a token (already normalised) is a trained word, or one typo away from one. */
  knows(token: string): boolean {
    return this.match(token) !== 'unknown';
  }

  /** 'exact' for a trained word (or a stretched one), 'typo' for one edit away, else 'unknown'. */
  match(token: string): 'exact' | 'typo' | 'unknown' {
    // Stretched words ("byeee", "heyyy") keep two of the repeated letter: one typo from the word,
    // while a held-down key ("jjjjj", "aaaaaaa") stays a word nobody wrote.
    const squeezed = token.replace(/(\p{L})\1{2,}/gu, '$1$1');
    const word = stem(squeezed);
    if (this.words.has(word) || this.words.has(squeezed)) return 'exact';
    // The customer dropped a letter ("ordr", "yea"): the token is a deletion of a trained word.
    if (word.length + 1 >= MIN_FUZZY_LENGTH && this.deleted.has(word)) return 'typo';
    if (word.length < MIN_FUZZY_LENGTH) return 'unknown';
    for (const d of deletions(word)) {
      // An extra letter ("orderr"), or one replaced or swapped ("oredr"): the deletions meet.
      if (this.words.has(d) || this.deleted.has(d)) return 'typo';
    }
    return 'unknown';
  }

  judge(text: string): VocabularyVerdict {
    const tokens = tokenize(normalizeText(text));
    // Digits (normalised to 0) are order numbers, model numbers, amounts: never mash.
    const words = tokens.filter((t) => !t.includes('0'));
    let known = 0;
    let credit = 0;
    for (const w of words) {
      const match = this.match(w);
      if (match === 'unknown') continue;
      known++;
      // A typo match is only half a word: any short mash is one edit from some real word
      // ("plugh" → "plug"), a real typo rarely comes without correctly spelt words around it.
      credit += match === 'exact' ? 1 : TYPO_CREDIT;
    }
    // No letters and no digits at all ("???", "..."): there is nothing to classify.
    const gibberish = tokens.length === 0 || (words.length > 0 && credit < MIN_KNOWN_SHARE * words.length);
    return { gibberish, words: words.length, known };
  }
}

/**
 * An order number, email, phone, amount, product or device read with confidence: the message is
 * about the shop whatever its other words. Dates and counts are ordinary words, and a fuzzy
 * device match ("plugh" → plug) is exactly what mash produces.
 */
function namesShopThing(entity: Entity): boolean {
  return entity.confidence >= MIN_ENTITY_CONFIDENCE && entity.type !== 'date' && entity.type !== 'quantity';
}
const MIN_ENTITY_CONFIDENCE = 0.9;

/**
 * Runs after `outOfScope`: a message the classifier accepted but whose words the model does not
 * know is out of scope as `gibberish`. The ranking and the confidence stay as they were; a message
 * naming a shop thing (an order number, an email, a product) is always left to the classifier, and
 * so is a decision that was already out of scope (its own reason is kept).
 */
export function vocabularyComponent(vocabulary: () => Vocabulary): PipelineComponent {
  return {
    name: 'vocabulary',
    requires: ['normalized', 'entities', 'decision'],
    provides: ['decision'],
    run(state) {
      const decision = need(state, 'decision', 'vocabulary');
      if (decision.outOfScope !== null || need(state, 'entities', 'vocabulary').some(namesShopThing)) return;
      // "je veux annuler ma commande", "oui": the shop's words in another language, which the
      // classifier read through its glossary; a message using them is not keyboard mash.
      if (namesShopWordAbroad(tokenize(normalizeText(need(state, 'normalized', 'vocabulary'))))) return;
      if (vocabulary().judge(need(state, 'normalized', 'vocabulary')).gibberish) {
        state.decision = { intent: null, confidence: decision.confidence, outOfScope: 'gibberish' };
      }
    },
  };
}
