import type { Kysely } from 'kysely';
import type { Database, DeviceRow } from './schema.js';

export interface DeviceDetails extends DeviceRow {
  productName: string;
  category: string;
}

/** A customer's registered devices, always filtered by the customer in SQL (see OrderRecords). */
export class DeviceRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async forCustomer(customerId: string): Promise<DeviceDetails[]> {
    return this.query(customerId).orderBy('d.registered_at').execute();
  }

  /** One of the customer's devices; null for a serial that is someone else's or unknown. */
  async one(customerId: string, serial: string): Promise<DeviceDetails | null> {
    return (await this.query(customerId).where('d.serial', '=', serial).executeTakeFirst()) ?? null;
  }

  private query(customerId: string) {
    return this.db
      .selectFrom('devices as d')
      .innerJoin('products as p', 'p.sku', 'd.sku')
      .selectAll('d')
      .select(['p.name as productName', 'p.category'])
      .where('d.customer_id', '=', customerId);
  }
}
