import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A customer's security question and the argon2id hash of its normalized answer. */
export interface SecurityQuestion {
  question: string;
  answerHash: string;
}

/**
 * The security questions agents may ask to verify a customer (handoff/agent-verification.ts).
 * Hashes only: the caller hashes the normalized answer, this never sees one.
 */
export class SecurityQuestions {
  constructor(private readonly db: Kysely<Database>) {}

  async of(customerId: string): Promise<SecurityQuestion | null> {
    const row = await this.db
      .selectFrom('customer_security_questions')
      .select(['question', 'answer_hash'])
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? null : { question: row.question, answerHash: row.answer_hash };
  }

  /** Sets or replaces the customer's question. */
  async set(customerId: string, question: string, answerHash: string, at: Date): Promise<void> {
    await this.db
      .insertInto('customer_security_questions')
      .values({ customer_id: customerId, question, answer_hash: answerHash, updated_at: at })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ question, answer_hash: answerHash, updated_at: at }))
      .execute();
  }

  /** The ids among `customerIds` that have a question (seeding sets only the missing ones). */
  async withQuestion(customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('customer_security_questions').select('customer_id').where('customer_id', 'in', [...customerIds]).execute();
    return new Set(rows.map((r) => r.customer_id));
  }
}
