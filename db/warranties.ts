import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface WarrantyStatus {
  sku: string;
  productName: string;
  orderNumber: string;
  purchasedAt: Date;
  months: number;
  /** Null when the product carries no warranty (gift cards, software). */
  expiresAt: Date | null;
  inWarranty: boolean;
}

/** What a customer bought that can carry a warranty: one row per order and product. */
export interface PurchasedProduct {
  orderNumber: string;
  sku: string;
  name: string;
  category: string;
  placedAt: Date;
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Warranties of what a customer bought; every query filters by the customer in SQL. */
export class WarrantyRecords {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Warranty of one product the customer bought: from the order date plus the product's
   * `warranty_months`. With several orders of the same product, the one bought last before
   * `boughtBefore` (a device's registration) is the one that device came in.
   */
  async status(customerId: string, input: { sku: string; now: Date; boughtBefore?: Date; orderNumber?: string }): Promise<WarrantyStatus | null> {
    let query = this.db
      .selectFrom('order_items as i')
      .innerJoin('orders as o', 'o.number', 'i.order_number')
      .innerJoin('products as p', 'p.sku', 'i.sku')
      .select(['o.number', 'o.placed_at', 'p.name', 'p.warranty_months'])
      .where('o.customer_id', '=', customerId)
      .where('i.sku', '=', input.sku)
      .where('o.status', 'not in', ['cancelled']);
    if (input.orderNumber !== undefined) query = query.where('o.number', '=', input.orderNumber);
    if (input.boughtBefore !== undefined) query = query.where('o.placed_at', '<=', input.boughtBefore);
    const row = await query.orderBy('o.placed_at', 'desc').executeTakeFirst();
    if (row === undefined) return null;
    const expiresAt = row.warranty_months > 0 ? addMonths(row.placed_at, row.warranty_months) : null;
    return {
      sku: input.sku,
      productName: row.name,
      orderNumber: row.number,
      purchasedAt: row.placed_at,
      months: row.warranty_months,
      expiresAt,
      inWarranty: expiresAt !== null && expiresAt.getTime() > input.now.getTime(),
    };
  }

  /** What the customer bought that can carry a warranty, newest first. */
  async purchased(customerId: string): Promise<PurchasedProduct[]> {
    const rows = await this.db
      .selectFrom('order_items as i')
      .innerJoin('orders as o', 'o.number', 'i.order_number')
      .innerJoin('products as p', 'p.sku', 'i.sku')
      .select(['o.number', 'i.sku', 'p.name', 'p.category', 'o.placed_at'])
      .where('o.customer_id', '=', customerId)
      .where('o.status', 'not in', ['cancelled'])
      .where('p.warranty_months', '>', 0)
      .orderBy('o.placed_at', 'desc')
      .limit(50)
      .execute();
    const seen = new Set<string>();
    return rows
      .filter((r) => !seen.has(`${r.number}:${r.sku}`) && seen.add(`${r.number}:${r.sku}`))
      .map((r) => ({ orderNumber: r.number, sku: r.sku, name: r.name, category: r.category, placedAt: r.placed_at }));
  }
}
