import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A product as the NLU's catalogue and the flows name it. */
export interface CatalogueProduct {
  sku: string;
  name: string;
  category: string;
}

export interface ProductOffer extends CatalogueProduct {
  priceCents: number;
  currency: string;
  finalSale: boolean;
}

/** The shop's public catalogue: nothing here is personal, so no customer is needed. */
export class ProductCatalogue {
  constructor(private readonly db: Kysely<Database>) {}

  /** Products as the NLU's catalogue of names. */
  async all(): Promise<CatalogueProduct[]> {
    return this.db.selectFrom('products').select(['sku', 'name', 'category']).orderBy('sku').execute();
  }

  /** What an exchange needs to know of the product sent instead: its price and whether it can be sold. */
  async offer(sku: string): Promise<ProductOffer | null> {
    const row = await this.db.selectFrom('products').select(['sku', 'name', 'category', 'price_cents', 'currency', 'final_sale']).where('sku', '=', sku).executeTakeFirst();
    return row === undefined ? null : { sku: row.sku, name: row.name, category: row.category, priceCents: row.price_cents, currency: row.currency, finalSale: row.final_sale };
  }

  async bySku(sku: string): Promise<CatalogueProduct | null> {
    return (await this.db.selectFrom('products').select(['sku', 'name', 'category']).where('sku', '=', sku).executeTakeFirst()) ?? null;
  }
}
