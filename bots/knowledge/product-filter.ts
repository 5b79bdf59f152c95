import type { ProductCatalogue } from '../../db/products.js';
import { familyOfProduct, isDeviceFamily, type DeviceFamily } from '../../knowledge/index.js';
import { firstEntity, type FlowContext } from '../flow.js';

/** The shop's catalogue categories that are named differently in the knowledge base. */
const FAMILY_OF_CATEGORY: Readonly<Record<string, DeviceFamily>> = { smart_plug: 'plug' };

/** The knowledge-base device family of a catalogue category ("smart_plug" → "plug"); null for non-devices. */
export function familyOfCategory(category: string): DeviceFamily | null {
  const family = FAMILY_OF_CATEGORY[category] ?? category;
  return isDeviceFamily(family) ? family : null;
}

/** What the customer's message names: a product (its catalogue name and family) or only a kind of device. */
export interface NamedProduct {
  sku: string | null;
  name: string | null;
  family: DeviceFamily | null;
}

/** How a SKU becomes the product's name and category (the public catalogue). */
export type ProductLookup = Pick<ProductCatalogue, 'bySku'>;

/**
 * Reads the product (SKU) or device (category) entity of this message and resolves the SKU
 * to the product's name, which is what articles list in `products`.
 */
export async function namedProduct(ctx: FlowContext, products: ProductLookup): Promise<NamedProduct | null> {
  const sku = firstEntity(ctx, 'product');
  if (sku !== null) {
    const product = await products.bySku(sku);
    if (product !== null) return { sku, name: product.name, family: familyOfCategory(product.category) };
  }
  const category = firstEntity(ctx, 'device');
  if (category === null) return null;
  return { sku: null, name: null, family: familyOfCategory(category) };
}

/**
 * The retrieval filter for a named product: its name when articles are written about it, else
 * its family. An accessory ("Voltline Vision Wall Mount", matched from "my tv") is named by no
 * article, and filtering by its name would hide every TV article.
 */
export function productFilterOf(named: NamedProduct | null): string | undefined {
  if (named === null) return undefined;
  if (named.name !== null && familyOfProduct(named.name) !== undefined) return named.name;
  return named.family ?? undefined;
}
