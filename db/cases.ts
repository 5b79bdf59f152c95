import { randomBytes } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { CaseKind } from '../core/case-status.js';
import type { CaseToOpen } from '../core/conversation-writes.js';
import type { CasesTable, Database } from './schema.js';

export type CaseRow = Selectable<CasesTable>;

/** Short and readable for customers ("CASE-7F3K9Q0A"); chosen before the case is stored, so a reply can name it. */
export function newCaseId(): string {
  return `CASE-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * Where a bot case lands (crm/case-bot.ts): its template, version, category, priority, team and
 * the template fields its details fill. Without one a case is stored as before (tests of the
 * write path alone).
 */
export type CasePlacement = (c: Pick<CaseToOpen, 'kind' | 'details'>) => Pick<Insertable<CasesTable>, 'template_id' | 'template_version' | 'category' | 'priority' | 'team' | 'fields'>;

/** Inserts the cases a conversation change opened, on its commit's transaction, with their timeline, primary profile and contact. */
export async function insertOpenedCases(executor: Pick<Kysely<Database>, 'insertInto' | 'updateTable'>, cases: readonly CaseToOpen[], place?: CasePlacement): Promise<void> {
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
        ...(place !== undefined ? place(c) : {}),
      })),
    )
    .execute();
  await recordBotCases(executor, cases);
}

/** The timeline's `created`, the customer as the primary profile and the conversation as the first contact (migration 0018). */
async function recordBotCases(executor: Pick<Kysely<Database>, 'insertInto' | 'updateTable'>, cases: ReadonlyArray<{ id: string; customerId: string | null; conversationId: string | null; summary: string }>): Promise<void> {
  await executor.insertInto('case_timeline').values(cases.map((c) => ({ case_id: c.id, actor: 'bot', kind: 'created', text: c.summary, data: JSON.stringify({ conversationId: c.conversationId }) }))).execute();
  const withCustomer = cases.filter((c) => c.customerId !== null);
  if (withCustomer.length > 0) {
    await executor
      .insertInto('case_profiles')
      .values(withCustomer.map((c) => ({ case_id: c.id, customer_id: c.customerId!, role: 'primary' as const, notify: true, added_by: 'bot' })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const withConversation = cases.filter((c) => c.conversationId !== null);
  if (withConversation.length > 0) {
    await executor
      .insertInto('case_contacts')
      .values(withConversation.map((c) => ({ case_id: c.id, conversation_id: c.conversationId!, by: 'bot' })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await refreshCaseSearch(executor, cases.map((c) => c.id));
}

/**
 * Rebuilds the keyword-search document of cases: number (A), summary and field values (B),
 * timeline text (C). Run after every change to a case, on the change's transaction.
 */
export async function refreshCaseSearch(executor: Pick<Kysely<Database>, 'updateTable'>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor
    .updateTable('cases')
    .set({
      search: sql<string>`setweight(to_tsvector('english', cases.id), 'A') ||
        setweight(to_tsvector('english', cases.summary || ' ' || coalesce((select string_agg(value, ' ') from jsonb_each_text(cases.fields)), '')), 'B') ||
        setweight(to_tsvector('english', coalesce((select string_agg(t.text, ' ') from case_timeline t where t.case_id = cases.id and t.kind <> 'created'), '')), 'C')` as never,
      updated_at: sql<Date>`now()`,
    })
    .where('id', 'in', [...ids])
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
      .executeTakeFirstOrThrow()
      .then(async (row) => {
        await recordBotCases(this.db, [{ id: row.id, customerId: row.customer_id, conversationId: row.conversation_id, summary: row.summary }]);
        return row;
      });
  }

  async forCustomer(customerId: string, limit = 20): Promise<CaseRow[]> {
    return this.db.selectFrom('cases').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(limit).execute();
  }

  async get(id: string): Promise<CaseRow | null> {
    return (await this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }
}
