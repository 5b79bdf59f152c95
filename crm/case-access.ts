import { ALL_TEAMS_ROLES, type AgentProfile } from '../core/agent-api.js';
import { SwitchboardError } from '../core/errors.js';

/** Who is asking about a case: a console user's role, teams and id. */
export type CaseViewer = Pick<AgentProfile, 'id' | 'role' | 'teams'>;

/** Supervisors and admins see every case; an agent sees their teams' cases and those of no team. */
export function maySeeCase(viewer: CaseViewer, c: { team: string | null }): boolean {
  if (ALL_TEAMS_ROLES.includes(viewer.role)) return true;
  return c.team === null || viewer.teams.includes(c.team);
}

/** 403 for a case of another team: the case's number was already known to the caller, and the answer names what is missing. */
export function assertCaseAccess(viewer: CaseViewer, c: { id: string; team: string | null }): void {
  if (!maySeeCase(viewer, c)) throw new SwitchboardError('SB_ERR_FORBIDDEN', `Case ${c.id} belongs to the ${c.team ?? ''} team: only its agents, supervisors and admins may see or change it`);
}

/** Broadcasting to every notified profile is for a supervisor (or admin) and the case's owner. */
export function assertMayBroadcast(viewer: CaseViewer, c: { id: string; assignee_id: string | null }): void {
  if (ALL_TEAMS_ROLES.includes(viewer.role) || c.assignee_id === viewer.id) return;
  throw new SwitchboardError('SB_ERR_FORBIDDEN', `Only a supervisor or the owner of case ${c.id} may send an update to everyone linked to it`);
}

/** Team scope of case lists and search: null for every team. */
export function caseScopeOf(viewer: CaseViewer): readonly string[] | null {
  return ALL_TEAMS_ROLES.includes(viewer.role) ? null : viewer.teams;
}
