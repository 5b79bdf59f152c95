import { sql, type Kysely } from 'kysely';

// A security question an agent may ask to verify a customer from the console
// (handoff/agent-verification.ts). A table of its own, as customer_credentials: a shop import
// rewrites customers and must not drop them. Only the argon2id hash of the normalized answer is
// stored (lower case, single spaces), never the answer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_security_questions')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('question', 'text', (c) => c.notNull())
    /** PHC string (`$argon2id$v=19$m=…`). */
    .addColumn('answer_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('customer_security_questions_answer_hash_check', sql`answer_hash like '$argon2%'`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_security_questions').ifExists().execute();
}
