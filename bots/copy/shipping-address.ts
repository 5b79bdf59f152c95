/** The parts of an address the customer must give before it can be saved. */
export type RequiredAddressPart = 'line1' | 'city' | 'postalCode' | 'country';

/**
 * The words of a delivery address as the customer reads them (bots/flows/shipping-address.ts):
 * what is still missing from one they typed, and the country of one shown back to them. The
 * sentences around them ("I still need …") are the order flows' (bots/copy/orders.ts).
 */
export interface ShippingAddressCopy {
  /** The part as named in "I still need the postal code". */
  part: Record<RequiredAddressPart, string>;
  /** Names the missing parts in one phrase: "the city, the postal code and the country". */
  listParts(parts: readonly string[]): string;
  /** The country's name, from its ISO 3166-1 alpha-2 code; the code itself when unknown. */
  countryName(code: string): string;
}

const regionNamesEn = new Intl.DisplayNames(['en'], { type: 'region' });

export const SHIPPING_ADDRESS_COPY_EN: ShippingAddressCopy = {
  part: { line1: 'the street and house number', city: 'the city', postalCode: 'the postal code', country: 'the country' },
  listParts: (parts) => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`),
  countryName: (code) => regionNamesEn.of(code) ?? code,
};
