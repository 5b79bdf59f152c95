import type { CaseCsatOutcome, UpdateCaseBody } from '../core/case-api.js';
import type { CaseViewer } from './case-access.js';
import type { CaseSatisfaction } from './case-csat.js';
import type { CaseStore } from './case-store.js';

/**
 * PATCH /cases/:number: the change, and with `askCsat` the satisfaction question planned on the
 * transaction that resolves the case — so a resolution asks once, and a change that does not
 * resolve it (already resolved, another status) says that nothing was sent.
 */
export async function updateCase(store: CaseStore, csat: CaseSatisfaction, number: string, body: UpdateCaseBody, viewer: CaseViewer) {
  if (body.askCsat !== true) return store.update(number, body, viewer);
  const asked: { outcome: CaseCsatOutcome } = {
    outcome: { asked: false, reason: 'not_resolved_now', message: 'No satisfaction rating was asked: this change did not resolve the case (it is resolved already, or the status asked for is not resolved)' },
  };
  const detail = await store.update(number, body, viewer, async (trx, caseId, resolutionEntry) => {
    asked.outcome = await csat.plan(trx, caseId, resolutionEntry, viewer.id);
  });
  if (asked.outcome.asked) csat.wake();
  return { ...detail, csatRequest: asked.outcome };
}
