import { z } from 'zod';
import type { ShippingAddress } from '../../db/schema.js';

/** Human names of the parts, used to say exactly what is missing. */
const PART = { line1: 'the street and house number', city: 'the city', postalCode: 'the postal code', country: 'the country' } as const;

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

export const NewShippingAddressSchema = z.object({
  line1: z.string({ error: PART.line1 }).regex(/\d/, PART.line1).regex(/\p{L}{2}/u, PART.line1).max(120),
  line2: z.string().max(120).optional(),
  city: z.string({ error: PART.city }).regex(/^[\p{L}][\p{L} .'-]*$/u, PART.city).max(80),
  region: z.string().optional(),
  postalCode: z.string({ error: PART.postalCode }).regex(ANY_POSTAL, PART.postalCode),
  country: z.string({ error: PART.country }).regex(/^[A-Z]{2}$/, PART.country),
}).superRefine((address, ctx) => {
  // "9720, US" has the shape of a postal code but isn't a US one: ask again rather than save it.
  const exact = POSTAL[address.country];
  if (exact !== undefined && !exact.test(address.postalCode)) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: PART.postalCode });
});

export type AddressParse = { ok: true; address: ShippingAddress } | { ok: false; missing: string[] };

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
export function parseShippingAddress(text: string): AddressParse {
  const parts = text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p !== '');
  const draft: Partial<Record<keyof ShippingAddress, string>> = {};
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
  if (parts.length >= 1) draft.line1 = parts.shift();
  if (parts.length >= 1) draft.city = parts.pop();
  if (parts.length >= 1) draft.line2 = parts.join(', ');
  const parsed = NewShippingAddressSchema.safeParse(draft);
  if (parsed.success) return { ok: true, address: stripUndefined(parsed.data) };
  const missing = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  return { ok: false, missing };
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

function stripUndefined(address: z.infer<typeof NewShippingAddressSchema>): ShippingAddress {
  return Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined)) as unknown as ShippingAddress;
}

export function formatAddress(address: ShippingAddress): string {
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')].join(', ');
  return [address.line1, address.line2, cityLine, regionNames.of(address.country) ?? address.country].filter(Boolean).join(', ');
}

/** Names the missing parts in one sentence: "the postal code and the country". */
export function listParts(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}
