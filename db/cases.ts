import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CaseKind } from '../core/case-status.js';
import type { CaseToOpen } from '../core/conversation-writes.js';
import type { CasesTable, Database } from './schema.js';

export type CaseRow = Selectable<CasesTable>;

/** Short and readable for customers ("CASE-7F3K9Q0A"); chosen before the case is stored, so a reply can name it. */
export function newCaseId(): string {
  return `CASE-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** Inserts the cases a conversation change opened, on its commit's transaction. */
export async function insertOpenedCases(executor: Pick<Kysely<Database>, 'insertInto'>, cases: readonly CaseToOpen[]): Promise<void> {
  if (cases.length === 0) return;
  await executor
    .insertInto('cases')
    .values(
      cases.map((c) => ({
        id: c.id,
        customer_id: c.customerId,
        conversation_id: c.conversationId,
        kind: c.kind,
        status: 'open' as const,
        summary: c.summary,
        details: JSON.stringify(c.details),
      })),
    )
    .execute();
}

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
    const id = newCaseId();
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
