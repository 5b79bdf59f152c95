import type { CountryCode } from 'libphonenumber-js';
import type { Entity, EntityType } from '../../core/nlu.js';
import { catalogueRecognizers, type CatalogueEntry } from './catalogue.js';
import { dateRecognizer } from './date.js';
import { emailRecognizer } from './email.js';
import { moneyRecognizer } from './money.js';
import { orderNumberRecognizer } from './orderNumber.js';
import { phoneRecognizer } from './phone.js';
import { quantityRecognizer } from './quantity.js';
import type { EntityRecognizer, ExtractOptions } from './types.js';

export type { CatalogueEntry } from './catalogue.js';
export type { EntityRecognizer, ExtractOptions } from './types.js';
export { editDistance, wordSimilarity } from './fuzzy.js';

/**
 * When two candidates overlap, the more specific kind wins: an order number is never also read
 * as a phone number or a date, an email's digits are not a phone. The expected kind goes first.
 */
const PRIORITY: readonly EntityType[] = ['email', 'order_number', 'money', 'phone', 'product', 'date', 'quantity', 'device'];

export interface EntityExtractor {
  extract(text: string, options?: ExtractOptions): Entity[];
}

export interface EntityExtractorOptions {
  orderNumberPattern: string;
  catalogue: readonly CatalogueEntry[];
  phoneRegion?: CountryCode;
  now?: () => Date;
}

export function createEntityExtractor(options: EntityExtractorOptions): EntityExtractor {
  const { product, device } = catalogueRecognizers(options.catalogue);
  const recognizers: EntityRecognizer[] = [
    orderNumberRecognizer(options.orderNumberPattern),
    emailRecognizer(),
    phoneRecognizer(options.phoneRegion ?? 'US'),
    dateRecognizer(options.now),
    moneyRecognizer(),
    quantityRecognizer(),
    product,
    device,
  ];
  return {
    extract(text, extractOptions = {}) {
      const rank = (type: EntityType): number => (type === extractOptions.expecting ? -1 : PRIORITY.indexOf(type));
      const all = recognizers.flatMap((r) => r.find(text, extractOptions));
      all.sort((a, b) => rank(a.type) - rank(b.type) || b.end - b.start - (a.end - a.start) || a.start - b.start);
      const kept: Entity[] = [];
      for (const candidate of all) {
        if (kept.some((k) => k.start < candidate.end && candidate.start < k.end && !countsThing(k, candidate))) continue;
        kept.push(candidate);
      }
      return kept.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
    },
  };
}

/** "2 cameras" is both a quantity and the device counted; every other overlap is one reading or the other. */
function countsThing(a: Entity, b: Entity): boolean {
  const things: EntityType[] = ['product', 'device'];
  return (a.type === 'quantity' && things.includes(b.type)) || (b.type === 'quantity' && things.includes(a.type));
}
