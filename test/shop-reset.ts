import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The records a conversation can change for the conversations after it: an order cancelled or
 * re-addressed (orders, their status events), a return or a case opened, a verification budget
 * spent (throttle counters: wrong codes and sends count per customer, so one conversation's
 * lockout would otherwise pause the next one's). Listed together because TRUNCATE needs every
 * table that references `orders` in the same statement; a new table referencing them makes the
 * reset fail loudly rather than leave stale rows behind.
 */
const MUTABLE_TABLES = ['orders', 'order_items', 'order_status_events', 'shipments', 'devices', 'returns', 'cases', 'case_timeline', 'case_profiles', 'case_contacts', 'case_deliveries', 'case_follow_ups', 'case_csat', 'case_reminders', 'throttle_counters', 'shop_events', 'proactive_notices'] as const;
/** Parents first, so every foreign key finds its row. */
const RESTORE_ORDER = ['orders', 'order_items', 'order_status_events', 'shipments', 'devices', 'returns', 'cases', 'case_timeline', 'case_profiles', 'case_contacts', 'case_deliveries', 'case_follow_ups', 'case_csat', 'case_reminders', 'throttle_counters', 'shop_events', 'proactive_notices'] as const;

/**
 * Puts the shop back as it was when `ShopReset.capture` ran (just after seeding), so each
 * conversation of a harness or a benchmark starts from the same shop without paying for a new
 * service (6–9 s on the embedded deployment). Contacts and conversations are left alone: every
 * conversation is a new sender, so nothing of theirs is shared.
 */
export class ShopReset {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly schema: string,
  ) {}

  /** Copies the mutable tables into a schema of their own, in the same database. */
  static async capture(db: Kysely<Database>, schema = 'harness_fresh_shop'): Promise<ShopReset> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema ${schema} must be a plain identifier`);
    await db.transaction().execute(async (trx) => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(trx);
      await sql`create schema ${sql.id(schema)}`.execute(trx);
      for (const table of MUTABLE_TABLES) {
        await sql`create table ${sql.id(schema, table)} as table ${sql.id('public', table)}`.execute(trx);
      }
    });
    return new ShopReset(db, schema);
  }

  /** Restores every mutable table in one transaction. */
  async restore(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`truncate ${sql.join(MUTABLE_TABLES.map((t) => sql.id('public', t)))}`.execute(trx);
      for (const table of RESTORE_ORDER) {
        await sql`insert into ${sql.id('public', table)} select * from ${sql.id(this.schema, table)}`.execute(trx);
      }
    });
  }
}
