import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The demo shop's customer passwords (argon2id hashes only). Written by the reset page; a real
 * shop keeps its customers' passwords itself and sets PASSWORD_RESET_URL instead.
 */
export class CustomerCredentials {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets or replaces the customer's password. The hash is made by the caller: this never sees a password. */
  async setPasswordHash(customerId: string, passwordHash: string, at: Date): Promise<void> {
    await this.db
      .insertInto('customer_credentials')
      .values({ customer_id: customerId, password_hash: passwordHash, password_changed_at: at })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ password_hash: passwordHash, password_changed_at: at }))
      .execute();
  }

  /** The stored hash and when it changed, or null when the customer never set a password here. */
  async passwordOf(customerId: string): Promise<{ passwordHash: string; changedAt: Date } | null> {
    const row = await this.db
      .selectFrom('customer_credentials')
      .select(['password_hash', 'password_changed_at'])
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? null : { passwordHash: row.password_hash, changedAt: row.password_changed_at };
  }
}
