import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A product as the NLU's catalogue and the flows name it. */
export interface CatalogueProduct {
  sku: string;
  name: string;
  category: string;
}

/** The shop's public catalogue: nothing here is personal, so no customer is needed. */
export class ProductCatalogue {
  constructor(private readonly db: Kysely<Database>) {}

  /** Products as the NLU's catalogue of names. */
  async all(): Promise<CatalogueProduct[]> {
    return this.db.selectFrom('products').select(['sku', 'name', 'category']).orderBy('sku').execute();
  }

  async bySku(sku: string): Promise<CatalogueProduct | null> {
    return (await this.db.selectFrom('products').select(['sku', 'name', 'category']).where('sku', '=', sku).executeTakeFirst()) ?? null;
  }
}
