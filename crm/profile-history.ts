import { sql, type Kysely } from 'kysely';
import { CaseUpdateEntrySchema, type CaseUpdateEntry, type ContactHistoryEntry } from '../core/profile-api.js';
import type { Database } from '../db/schema.js';

/**
 * The case numbers each conversation was associated with. The cases module provides it
 * (crm/case-contacts.ts); without it a conversation lists the cases it opened itself
 * (cases.conversation_id), which the bot's flows write today.
 */
export type CaseNumbersOf = (db: Kysely<Database>, conversationIds: readonly string[]) => Promise<Map<string, string[]>>;

/** Longest history returned; the console pages no further. */
const HISTORY_LIMIT = 200;

/**
 * Every conversation of every contact linked to the profile (a proven identity) and every
 * conversation an agent associated with it, on every channel, newest first, with its case
 * numbers: the profile's contact history.
 */
export async function contactHistory(db: Kysely<Database>, customerId: string, caseNumbersOf?: CaseNumbersOf): Promise<ContactHistoryEntry[]> {
  const rows = await db
    .selectFrom('conversations as conv')
    .innerJoin('contacts as ct', 'ct.id', 'conv.contact_id')
    .select(['conv.id', 'conv.channel', 'conv.status', 'conv.created_at', 'conv.updated_at'])
    .where((eb) =>
      eb.or([
        eb('ct.customer_id', '=', customerId),
        eb('conv.id', 'in', eb.selectFrom('profile_associations').select('conversation_id').where('customer_id', '=', customerId)),
      ]),
    )
    .orderBy('conv.created_at', 'desc')
    .orderBy('conv.id')
    .limit(HISTORY_LIMIT)
    .execute();
  const ids = rows.map((r) => r.id);
  const cases = ids.length === 0 ? new Map<string, string[]>() : await (caseNumbersOf ?? openedCases)(db, ids);
  return rows.map((r) => ({
    conversationId: r.id,
    channel: r.channel,
    status: r.status,
    startedAt: new Date(r.created_at).toISOString(),
    lastActivityAt: new Date(r.updated_at).toISOString(),
    cases: cases.get(r.id) ?? [],
  }));
}

/** The cases each conversation opened (cases.conversation_id). */
export const openedCases: CaseNumbersOf = async (db, conversationIds) => {
  const { rows } = await sql<{ conversation_id: string; id: string }>`
    select conversation_id, id from cases where conversation_id in (${sql.join([...conversationIds])}) order by created_at, id`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.conversation_id, [...(out.get(r.conversation_id) ?? []), r.id]);
  return out;
};

/** Every case broadcast sent to the person (case_deliveries), newest first: the rest of their contact history. */
export async function caseUpdates(db: Kysely<Database>, customerId: string): Promise<CaseUpdateEntry[]> {
  const rows = await db
    .selectFrom('case_deliveries')
    .select(['case_id', 'transport', 'recipient', 'status', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(HISTORY_LIMIT)
    .execute();
  // Parsed, not cast: the status column's check is the schema's enum.
  return rows.map((r) => CaseUpdateEntrySchema.parse({ caseNumber: r.case_id, transport: r.transport, recipient: r.recipient, status: r.status, at: new Date(r.created_at).toISOString() }));
}
