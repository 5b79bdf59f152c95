import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CaseKind } from '../core/case-status.js';
import type { CasesTable, Database } from './schema.js';

export type CaseRow = Selectable<CasesTable>;

/** What a new case records. */
export interface NewCase {
  customerId: string | null;
  conversationId: string | null;
  kind: CaseKind;
  summary: string;
  details: Record<string, unknown>;
}

/** Support cases: what a customer's earlier issues were, shown to agents on handoff. */
export class CaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Opens a case; ids are short and readable for customers ("CASE-7F3K9Q"). */
  async open(input: NewCase): Promise<CaseRow> {
    const id = `CASE-${randomBytes(4).toString('hex').toUpperCase()}`;
    return this.db
      .insertInto('cases')
      .values({
        id,
        customer_id: input.customerId,
        conversation_id: input.conversationId,
        kind: input.kind,
        status: 'open',
        summary: input.summary,
        details: JSON.stringify(input.details),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async forCustomer(customerId: string, limit = 20): Promise<CaseRow[]> {
    return this.db.selectFrom('cases').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(limit).execute();
  }

  async get(id: string): Promise<CaseRow | null> {
    return (await this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }
}
