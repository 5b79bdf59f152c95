import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Rows per shop table, to assert what an import wrote (or, after a failure, did not write). */
export async function countShopRows(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = ['customers', 'products', 'orders', 'order_items', 'order_status_events', 'shipments', 'devices'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export const EXAMPLE_PATH = new URL('../../docs/examples/shop-import.example.json', import.meta.url);

/** A fresh copy of the committed example file, safe to mutate. */
export function loadExample(): Record<string, unknown> & { customers: Array<Record<string, unknown>>; orders: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as ReturnType<typeof loadExample>;
}
