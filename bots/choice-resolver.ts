import { distance } from 'fastest-levenshtein';
import type { ChoiceOption } from '../core/message.js';
import { DEVICE_FAMILIES, PRODUCT_CATALOGUE, type DeviceFamily } from '../knowledge/index.js';
import { FAMILY_WORDS } from './troubleshooting/family-words.js';
import { detectCommand } from './understanding/global-command.js';

/** How a typed message was matched to an offered option (kept in the log for content editors). */
export type ChoiceMatch = 'payload' | 'number' | 'ordinal' | 'label' | 'first-word' | 'variant' | 'device';

export interface ResolvedChoice {
  option: ChoiceOption;
  index: number;
  via: ChoiceMatch;
}

/** Words people wrap around an answer ("the second one please", "I'd like the solid white"). */
const FILLER = new Set([
  'the', 'a', 'an', 'one', 'ones', 'option', 'number', 'nr', 'please', 'pls', 'plz', 'i', 'id', 'd', 'll', 'like', 'want', 'choose', 'pick',
  'take', 'go', 'with', 'for', 'it', 'its', 's', 'is', 'that', 'this', 'me', 'my', 'say', 'thanks', 'thank', 'you', 'ok', 'okay', 'um', 'uh', 'hmm',
]);

const ORDINALS: Record<string, number> = {
  first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4,
  sixth: 5, '6th': 5, seventh: 6, '7th': 6, eighth: 7, '8th': 7, ninth: 8, '9th': 8, tenth: 9, '10th': 9,
};

/** Ways of saying yes or no that should pick the option whose label starts with Yes / No. */
const YES_NO: Record<string, 'yes' | 'no'> = {
  yes: 'yes', yeah: 'yes', yep: 'yes', yup: 'yes', ya: 'yes', yea: 'yes', sure: 'yes', y: 'yes', correct: 'yes',
  no: 'no', nope: 'no', nah: 'no', n: 'no', not: 'no',
};

function normalize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

function content(tokens: string[]): string[] {
  return tokens.filter((t) => !FILLER.has(t));
}

/** Typos count only on words long enough to carry one (one slip from 4 letters, two from 8). */
function sameWord(typed: string, label: string): boolean {
  if (typed === label) return true;
  // 100234 and 100235 are different orders, not a typo.
  if (/\d/.test(typed) || /\d/.test(label)) return false;
  const allowed = Math.min(typed.length, label.length) >= 8 ? 2 : Math.min(typed.length, label.length) >= 4 ? 1 : 0;
  // Two letters typed the wrong way round ("chnaged", "lable") is one slip, not the two edits Levenshtein counts.
  return allowed > 0 && (distance(typed, label) <= allowed || swapped(typed, label));
}

/** Whether the words differ only by one pair of neighbouring letters swapped. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at = [...a].findIndex((c, i) => c !== b[i]);
  return at >= 0 && at < a.length - 1 && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}

/**
 * Maps the customer's next message to one of the options the bot just offered, so a button-driven
 * step works on a text-only channel (SMS shows "1. Solid red"): the payload itself, the number,
 * an ordinal ("the second one", "last"), the label, the label's first word for yes/no options, or
 * a close variant ("solid whte", "its blinking red"). Anything ambiguous or with words no label
 * has is left to intent detection: "red" when two labels say red, or a new question mid-flow.
 */
export function resolveChoice(options: readonly ChoiceOption[], message: { text: string; payload?: string | undefined }): ResolvedChoice | null {
  const pick = (index: number, via: ChoiceMatch): ResolvedChoice | null => {
    const option = options[index];
    return option === undefined ? null : { option, index, via };
  };
  if (message.payload !== undefined && message.payload !== '') {
    const index = options.findIndex((o) => o.value === message.payload);
    return index === -1 ? null : pick(index, 'payload');
  }
  const number = /^\s*(?:#|no\.?|nr\.?|number|option)?\s*(\d{1,2})\s*[.)]?\s*$/i.exec(message.text);
  if (number) return pick(Number(number[1]) - 1, 'number');

  const typed = content(normalize(message.text));
  if (typed.length === 0) return null;
  const labels = options.map((o) => normalize(o.label));

  if (typed.length === 1) {
    const word = typed[0] as string;
    const ordinal = word === 'last' ? options.length - 1 : ORDINALS[word];
    if (ordinal !== undefined) return pick(ordinal, 'ordinal');
  }
  const exact = labels.findIndex((label) => label.join(' ') === typed.join(' ') || content(label).join(' ') === typed.join(' '));
  if (exact !== -1) return pick(exact, 'label');
  // "cancel" at "Yes, cancel it / No, keep it" is the way out, not a yes that cancels the order:
  // a global command picks an option only by its whole label.
  if (detectCommand(message.text) !== null) return null;

  if (typed.length === 1 && YES_NO[typed[0] as string] !== undefined) {
    const answer = YES_NO[typed[0] as string];
    const starting = labels.flatMap((label, i) => (label[0] !== undefined && YES_NO[label[0]] === answer ? [i] : []));
    return starting.length === 1 ? pick(starting[0] as number, 'first-word') : null;
  }

  // Every word typed must be in the label (allowing typos), and only one label may contain them all.
  const covering = labels.flatMap((label, i) => (typed.every((word) => label.some((l) => sameWord(word, l))) ? [i] : []));
  if (covering.length === 1) return pick(covering[0] as number, 'variant');
  return byDevice(options, typed, pick);
}

/**
 * "the thermostat one", "the one with the speaker": an order or item picker names products
 * ("100236 · Voltline Thermo"), customers name the kind of device. Only when every word typed
 * names one family and exactly one option holds a product of it.
 */
function byDevice(options: readonly ChoiceOption[], typed: string[], pick: (index: number, via: ChoiceMatch) => ResolvedChoice | null): ResolvedChoice | null {
  const families = new Set<DeviceFamily>();
  for (const word of typed) {
    const family = familyOfWord(word);
    if (family === null) return null;
    families.add(family);
  }
  const [family, ...others] = [...families];
  if (family === undefined || others.length > 0) return null;
  const index = optionHolding(options, family);
  return index === null ? null : pick(index, 'device');
}

/** The index of the only option whose label holds a product of `family`, or null. */
function optionHolding(options: readonly ChoiceOption[], family: DeviceFamily): number | null {
  const products = PRODUCT_CATALOGUE[family].map((name) => normalize(name).join(' '));
  const holding = options.flatMap((o, i) => (products.some((name) => ` ${normalize(o.label).join(' ')} `.includes(` ${name} `)) ? [i] : []));
  return holding.length === 1 ? (holding[0] as number) : null;
}

/**
 * The one option holding a product of the device kind a longer sentence names ("and the other
 * one I ordered, the thermostat?"): other words are ignored, but two kinds named, or two options
 * holding that kind, pick nothing.
 */
export function optionNamingDevice(options: readonly ChoiceOption[], text: string): ChoiceOption | null {
  const families = new Set(normalize(text).flatMap((word) => familyOfWord(word) ?? []));
  if (families.size !== 1) return null;
  const [family] = [...families];
  const index = family === undefined ? null : optionHolding(options, family);
  return index === null ? null : options[index] ?? null;
}

/** The family a word names ("earbuds", "thermostat"), a plural or a slip included. */
function familyOfWord(word: string): DeviceFamily | null {
  const singular = word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
  const hits = DEVICE_FAMILIES.filter((f) => FAMILY_WORDS[f].some((w) => sameWord(word, w) || sameWord(singular, w)));
  return hits.length === 1 ? (hits[0] as DeviceFamily) : null;
}
