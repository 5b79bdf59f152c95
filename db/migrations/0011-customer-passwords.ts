import { sql, type Kysely } from 'kysely';

// The demo shop's customers had no passwords: the reset page at /account/reset sets one here.
// A table of its own rather than a column on `customers`, so a shop import (which rewrites
// customers) never touches credentials, and a shop whose accounts live elsewhere
// (PASSWORD_RESET_URL) simply has no rows. Only the argon2id hash is stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_credentials')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    /** PHC string (`$argon2id$v=19$m=…`): algorithm, parameters and salt travel with the hash. */
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('customer_credentials_password_hash_check', sql`password_hash like '$argon2%'`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_credentials').ifExists().execute();
}
