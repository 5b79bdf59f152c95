import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { generateDemoShop } from './demo.js';
import { validateShopImport } from './import.js';
import { lockShopWrites, writeShop } from './write.js';

/**
 * Seeds the Voltline demo shop into a database whose customers table is empty, in one
 * transaction. Under the shop-writes lock, so two instances starting together seed once.
 */
export async function seedDemoShop(db: Kysely<Database>, now: Date = new Date()): Promise<{ seeded: boolean }> {
  // The demo goes through the import's validation: the seed is a valid import file by construction.
  const data = await validateShopImport(db, generateDemoShop(now));
  return db.transaction().execute(async (trx) => {
    await lockShopWrites(trx);
    const { rows } = await sql<{ present: boolean }>`select exists (select 1 from customers) as present`.execute(trx);
    if (rows[0]?.present === true) return { seeded: false };
    await writeShop(trx, data);
    return { seeded: true };
  });
}
