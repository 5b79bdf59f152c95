import type { Kysely } from 'kysely';
import type { CaseTimelineKind } from '../core/case-api.js';
import type { Database } from '../db/schema.js';

/** One entry of a case's timeline: who (an agent's id, 'bot' or 'system'), what, and the searchable text. */
export interface TimelineEntry {
  actor: string;
  kind: CaseTimelineKind;
  text?: string;
  data?: Record<string, unknown>;
  at?: Date;
}

/** Appends entries to a case's timeline, on the caller's transaction; the caller refreshes the search document after. */
export async function appendTimeline(executor: Pick<Kysely<Database>, 'insertInto'>, caseId: string, entries: readonly TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await executor
    .insertInto('case_timeline')
    .values(
      entries.map((e) => ({
        case_id: caseId,
        actor: e.actor,
        kind: e.kind,
        text: e.text ?? '',
        data: JSON.stringify(e.data ?? {}),
        ...(e.at !== undefined ? { at: e.at } : {}),
      })),
    )
    .execute();
}
