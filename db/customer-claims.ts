import type { Kysely } from 'kysely';
import type { CustomerRow, Database } from './schema.js';

/**
 * The customer an identity claim points at, one query per claim whether or not it matches, so
 * the time a claim takes doesn't tell whether the order or account exists (ShopQueries.findOrder
 * also loads the items, timeline and shipments of an order that does).
 */
export class CustomerClaims {
  constructor(private readonly db: Kysely<Database>) {}

  async byOrder(orderNumber: string): Promise<CustomerRow | null> {
    const row = await this.db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .selectAll('c')
      .where('o.number', '=', orderNumber)
      .executeTakeFirst();
    return row ?? null;
  }

  async byEmail(email: string): Promise<CustomerRow | null> {
    return (await this.db.selectFrom('customers').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()) ?? null;
  }

  async byPhone(phone: string): Promise<CustomerRow | null> {
    return (await this.db.selectFrom('customers').selectAll().where('phone', '=', phone).executeTakeFirst()) ?? null;
  }

  /** `null` still runs the query: a resend for a claim that matched nobody costs the same. */
  async byId(id: string | null): Promise<CustomerRow | null> {
    return (await this.db.selectFrom('customers').selectAll().where('id', '=', id ?? '').executeTakeFirst()) ?? null;
  }
}
