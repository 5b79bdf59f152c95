import { sql, type Kysely } from 'kysely';
import type { CaseSummary } from '../core/case-api.js';
import type { Database } from '../db/schema.js';
import { caseScopeOf, type CaseViewer } from './case-access.js';
import { summaryOf } from './case-store.js';

/** Most results a search lists. */
const SEARCH_LIMIT = 50;

/**
 * Keyword search over case number, summary, field values, notes and the rest of the timeline
 * (the `search` tsvector, GIN-indexed, kept by db/cases.ts `refreshCaseSearch`), ranked with
 * ts_rank: a case number or a term in a field outranks one only in a note. `websearch_to_tsquery`
 * reads what agents type (words are ANDed, "quoted phrases", -exclusions), so more specific
 * terms narrow the list. Only cases of the viewer's teams (all for supervisors).
 */
export async function searchCases(db: Kysely<Database>, q: string, viewer: CaseViewer): Promise<Array<CaseSummary & { rank: number }>> {
  const scope = caseScopeOf(viewer);
  // One configuration for the document and the query: an ORed second one would undo "-exclusions".
  const query = sql`websearch_to_tsquery('english', ${q})`;
  let select = db
    .selectFrom('cases')
    .selectAll()
    .select(sql<number>`ts_rank(search, ${query})`.as('rank'))
    .where(sql<boolean>`search @@ ${query}`);
  if (scope !== null) select = select.where((eb) => eb.or([eb('team', 'is', null), ...(scope.length > 0 ? [eb('team', 'in', [...scope])] : [])]));
  const rows = await select.orderBy('rank', 'desc').orderBy('updated_at', 'desc').orderBy('id').limit(SEARCH_LIMIT).execute();
  return rows.map((r) => ({ ...summaryOf(r), rank: Number(r.rank) }));
}
