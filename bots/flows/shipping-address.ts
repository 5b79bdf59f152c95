import { ShippingAddressSchema, type ShippingAddress } from '../../core/shipping-address.js';
import { SHIPPING_ADDRESS_COPY_EN as COPY, type RequiredAddressPart as RequiredPart } from '../copy/shipping-address.js';

/** Human names of the parts, used to say exactly what is missing. */
const PART = COPY.part;
/** In the order they are asked for, whatever order a locale's catalogue lists them in. */
const REQUIRED: readonly RequiredPart[] = ['line1', 'city', 'postalCode', 'country'];

/** Postal-code shapes for the countries we ship to most; anything else must at least hold a digit. */
const POSTAL: Readonly<Record<string, RegExp>> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
  AU: /^\d{4}$/,
  NZ: /^\d{4}$/,
  JP: /^\d{3}-?\d{4}$/,
  SG: /^\d{6}$/,
};
const ANY_POSTAL = /^(?=.*\d)[A-Z0-9][A-Z0-9 -]{2,9}$/i;
/** "OR 97205": a US state or Canadian province before the code. */
const REGION_AND_POSTAL = /^([A-Z]{2})\s+(\S.*)$/i;

/**
 * What free text must show before it counts as that part, on top of the shared schema: a street
 * has a number and a word, a city is letters. These catch a mis-split message, not a bad address.
 */
const TYPED: Readonly<Record<RequiredPart, (value: string, draft: Draft) => boolean>> = {
  line1: (v) => /\d/.test(v) && /\p{L}{2}/u.test(v),
  city: (v) => /^[\p{L}][\p{L} .'-]*$/u.test(v),
  // "9720, US" has the shape of a postal code but isn't a US one: ask again rather than save it.
  postalCode: (v, draft) => ANY_POSTAL.test(v) && (POSTAL[draft.country ?? '']?.test(v) ?? true),
  country: (v) => /^[A-Z]{2}$/.test(v),
};

type Draft = Partial<Record<keyof ShippingAddress, string>>;

export type AddressParse = { ok: true; address: ShippingAddress } | { ok: false; missing: string[] };

/** Country names as customers type them (in English): for reading an address, not for showing one. */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const COUNTRY_BY_NAME = buildCountryNames();

function buildCountryNames(): Map<string, string> {
  const names = new Map<string, string>([['uk', 'GB'], ['usa', 'US'], ['united states of america', 'US'], ['england', 'GB'], ['scotland', 'GB'], ['wales', 'GB']]);
  for (let a = 65; a <= 90; a += 1) {
    for (let b = 65; b <= 90; b += 1) {
      const code = String.fromCharCode(a, b);
      const name = regionNames.of(code);
      // Unknown codes come back unchanged. A name seen before belongs to the earlier, current code
      // (FR before the retired FX, GB before the exceptional UK): keep that one.
      if (name === undefined || name === code || names.has(name.toLowerCase())) continue;
      names.set(name.toLowerCase(), code);
      if (!names.has(code.toLowerCase())) names.set(code.toLowerCase(), code);
    }
  }
  return names;
}

function countryCode(text: string): string | null {
  return COUNTRY_BY_NAME.get(text.trim().toLowerCase().replace(/\.$/, '')) ?? null;
}

/**
 * Reads "street, city, postal code, country" (an apartment line or a state before the code is
 * fine too). Returns what is missing rather than guessing, so the customer is asked for exactly that.
 */
export function parseShippingAddress(text: string, options: { defaultCountry?: string } = {}): AddressParse {
  const typed = withoutLeadIn(text);
  const parts = (typed.includes(',') || typed.includes('\n') ? typed : (unpunctuated(typed) ?? typed))
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const draft: Draft = {};
  const country = parts.length > 1 ? countryCode(parts.at(-1) ?? '') : null;
  if (country !== null) {
    draft.country = country;
    parts.pop();
  }
  const postalAt = findLastIndex(parts, isPostal);
  if (postalAt > 0) {
    const [postal] = parts.splice(postalAt, 1) as [string];
    const split = REGION_AND_POSTAL.exec(postal);
    if (split !== null && isPostal(split[2] ?? '')) {
      draft.region = (split[1] ?? '').toUpperCase();
      draft.postalCode = (split[2] ?? '').toUpperCase();
    } else draft.postalCode = postal.toUpperCase();
  }
  // An address change stays in the order's country: a customer who leaves it out means that one.
  if (draft.country === undefined && options.defaultCountry !== undefined && parts.length >= 2) draft.country = options.defaultCountry;
  if (parts.length >= 1) draft.line1 = parts.shift();
  if (parts.length >= 1) draft.city = parts.pop();
  if (parts.length >= 1) draft.line2 = parts.join(', ');
  const missing = REQUIRED.filter((part) => {
    const value = draft[part];
    return value === undefined || !TYPED[part](value, draft);
  }).map((part) => PART[part]);
  if (missing.length > 0) return { ok: false, missing };
  const parsed = ShippingAddressSchema.safeParse(draft);
  if (parsed.success) return { ok: true, address: parsed.data };
  // Only lengths are left to fail: name the part the customer should shorten.
  return { ok: false, missing: [...new Set(parsed.error.issues.map((issue) => partName(issue.path[0])))] };
}

/** Words people put before an address ("ok then 500 Howard St", "my new address is 12 High St"); never part of a street. */
const LEAD_IN_WORDS = new Set([
  'ok', 'okay', 'then', 'so', 'sure', 'yes', 'yeah', 'yep', 'right', 'oh', 'um', 'uh', 'hmm', 'sorry', 'actually', 'no', 'i', 'meant', 'mean', 'it',
  'its', 'it\'s', 'is', 'the', 'my', 'our', 'new', 'correct', 'address', 'should', 'be', 'to', 'please', 'pls', 'send', 'ship', 'deliver',
  'delivery', 'change', 'update', 'instead', 'now', 'here', 'go', 'going', 'moved', 'we', 've', 'i\'ve', 'have', 'live', 'at',
]);

/** The message from its first house number on, when everything before it is only a lead-in. */
function withoutLeadIn(text: string): string {
  const at = /\d/.exec(text)?.index;
  if (at === undefined || at === 0) return text.trim();
  const before = text.slice(0, at).toLowerCase().split(/[\s,.:;!-]+/).filter((w) => w !== '');
  return before.length > 0 && before.every((w) => LEAD_IN_WORDS.has(w.replace(/[’]/g, "'"))) ? text.slice(at).trim() : text.trim();
}

/** Words that end the street part of an address typed without commas. */
const STREET_ENDINGS = new Set([
  'street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'way', 'court', 'ct', 'place', 'pl', 'terrace',
  'close', 'crescent', 'square', 'sq', 'parkway', 'pkwy', 'highway', 'hwy', 'row', 'mews', 'gardens', 'grove', 'hill', 'walk', 'circle', 'cir',
]);

/**
 * "500 Howard Street San Francisco CA 94105", "12 high street london e1 6an": the same parts,
 * found by their shape (the house number and the street's ending word, the postal code and
 * country at the end), put back with commas. Null when the street's end can't be told.
 */
function unpunctuated(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const tail: string[] = [];
  for (const size of [3, 2, 1]) {
    if (words.length > size + 3 && countryCode(words.slice(-size).join(' ')) !== null) {
      tail.unshift(words.splice(-size).join(' '));
      break;
    }
  }
  const two = words.slice(-2).join(' ');
  if (words.length > 4 && /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/i.test(two)) tail.unshift(words.splice(-2).join(' '));
  else if (words.length > 3 && isPostal(words.at(-1) ?? '')) {
    const postal = words.pop() as string;
    // A US state or Canadian province right before the code travels with it ("CA 94105").
    const region = words.length > 3 && /^[A-Z]{2}$/i.test(words.at(-1) ?? '') ? `${words.pop() as string} ` : '';
    tail.unshift(`${region}${postal}`);
  } else return null;
  if (!/^\d/.test(words[0] ?? '')) return null;
  const end = words.findIndex((w, i) => i > 0 && STREET_ENDINGS.has(w.toLowerCase().replace(/\.$/, '')));
  if (end === -1 || end === words.length - 1) return null;
  return [words.slice(0, end + 1).join(' '), words.slice(end + 1).join(' '), ...tail].join(', ');
}

/**
 * "sorry, 21 Oak Street, not 12": a new street and house number for an address already read,
 * the rest of it unchanged. Null when the message is not just a street.
 */
export function correctedStreet(text: string): string | null {
  const parts = withoutLeadIn(text).split(/[,\n]/).map((p) => p.trim()).filter((p) => p !== '' && !/^not\b/i.test(p));
  const street = parts[0];
  if (parts.length !== 1 || street === undefined || !TYPED.line1(street, {}) || !/^\d/.test(street)) return null;
  const words = street.split(/\s+/);
  return STREET_ENDINGS.has((words.at(-1) ?? '').toLowerCase().replace(/\.$/, '')) ? street : null;
}

function partName(key: PropertyKey | undefined): string {
  return typeof key === 'string' && key in PART ? PART[key as RequiredPart] : PART.line1;
}

/** Shaped like a postal code (the country's own format is checked by the schema). Words of 4+ letters are a street or city. */
function isPostal(part: string): boolean {
  const code = REGION_AND_POSTAL.test(part) ? part.replace(REGION_AND_POSTAL, '$2') : part;
  return ANY_POSTAL.test(code) && !/\p{L}{4,}/u.test(part);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return i;
  return -1;
}

export function formatAddress(address: ShippingAddress): string {
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')].join(', ');
  return [address.line1, address.line2, cityLine, COPY.countryName(address.country)].filter(Boolean).join(', ');
}

/** Names the missing parts in one sentence: "the postal code and the country". */
export function listParts(parts: readonly string[]): string {
  return COPY.listParts(parts);
}
