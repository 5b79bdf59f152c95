import type { Kysely } from 'kysely';
import { UserRoleSchema } from '../core/agent-api.js';
import { CaseNumberSchema } from '../core/case-api.js';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { refreshCaseSearch } from '../db/cases.js';
import type { Database } from '../db/schema.js';
import { maySeeCase } from './case-access.js';
import { appendTimeline } from './case-timeline.js';

/**
 * Associates a conversation (a contact) with cases: one conversation may be associated with
 * several cases, each recorded in that case's timeline (`contact_associated`). Called by
 * POST /api/agent/conversations/:id/associate (crm/profile-association.ts), which authorises
 * the conversation; the cases are authorised here against `by`'s teams. All or nothing: an
 * unknown case or one of another team stores no association at all.
 */
export async function associateCases(db: Kysely<Database>, input: { conversationId: string; caseNumbers: readonly string[]; by: string }): Promise<{ associated: string[] }> {
  const numbers: string[] = [];
  const problems: ErrorDetail[] = [];
  input.caseNumbers.forEach((raw, i) => {
    const parsed = CaseNumberSchema.safeParse(raw);
    if (parsed.success) numbers.push(parsed.data);
    else problems.push({ path: `body.caseNumbers[${i}]`, message: parsed.error.issues[0]?.message ?? 'is not a case number' });
  });
  if (problems.length > 0) throw new SwitchboardError('SB_ERR_VALIDATION', 'A case number is invalid; nothing was associated', problems, { status: 422 });
  const unique = [...new Set(numbers)];
  const rows = await db.selectFrom('cases').select(['id', 'team']).where('id', 'in', unique).execute();
  const user = await db.selectFrom('users').select(['id', 'role']).where('id', '=', input.by).executeTakeFirst();
  const teams = (await db.selectFrom('user_teams').select('team').where('user_id', '=', input.by).execute()).map((t) => t.team);
  const viewer = { id: input.by, role: UserRoleSchema.catch('editor').parse(user?.role), teams };
  unique.forEach((n, i) => {
    const row = rows.find((r) => r.id === n);
    if (row === undefined) problems.push({ path: `body.caseNumbers[${i}]`, message: `no case ${n}` });
  });
  if (problems.length > 0) throw new SwitchboardError('SB_ERR_NOT_FOUND', `${problems[0]!.message}; nothing was associated`, problems);
  const refused = rows.find((r) => !maySeeCase(viewer, r));
  if (refused !== undefined) throw new SwitchboardError('SB_ERR_FORBIDDEN', `Case ${refused.id} belongs to the ${refused.team ?? ''} team; nothing was associated`);
  await db.transaction().execute(async (trx) => {
    for (const id of unique) {
      const added = await trx
        .insertInto('case_contacts')
        .values({ case_id: id, conversation_id: input.conversationId, by: input.by })
        .onConflict((oc) => oc.columns(['case_id', 'conversation_id']).doNothing())
        .executeTakeFirst();
      // Again on a later call: already in the timeline once.
      if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) {
        await appendTimeline(trx, id, [{ actor: input.by, kind: 'contact_associated', text: '', data: { conversationId: input.conversationId } }]);
      }
    }
    await refreshCaseSearch(trx, unique);
  });
  return { associated: unique };
}

/** Each conversation's case numbers (associated, or opened by it), for the profile's contact history. */
export async function caseNumbersOf(db: Kysely<Database>, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (conversationIds.length === 0) return out;
  const ids = [...conversationIds];
  const [associated, opened] = await Promise.all([
    db.selectFrom('case_contacts').select(['conversation_id', 'case_id']).where('conversation_id', 'in', ids).orderBy('at').orderBy('case_id').execute(),
    db.selectFrom('cases').select(['conversation_id', 'id']).where('conversation_id', 'in', ids).orderBy('created_at').execute(),
  ]);
  const add = (conversationId: string | null, caseId: string): void => {
    if (conversationId === null) return;
    const list = out.get(conversationId) ?? [];
    if (!list.includes(caseId)) list.push(caseId);
    out.set(conversationId, list);
  };
  for (const r of associated) add(r.conversation_id, r.case_id);
  for (const r of opened) add(r.conversation_id, r.id);
  return out;
}
