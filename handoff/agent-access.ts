import { ALL_TEAMS_ROLES, CONSOLE_ROLES, type AgentProfile } from '../core/agent-api.js';
import type { ConversationStatus } from '../core/conversation.js';
import { SwitchboardError } from '../core/errors.js';

/** What access rules look at in a conversation: its queue and who holds it. */
export interface ConversationHolding {
  status: ConversationStatus;
  team: string | null;
  assigneeId: string | null;
}

/** What an agent asks to do with a conversation. */
export type AgentAccess = 'view' | 'claim' | 'reply' | 'note' | 'resolve' | 'release' | 'transfer' | 'snooze';

/** Whether the user may use the agent console at all (editors keep content; they have their own console). */
export function mayUseConsole(user: Pick<AgentProfile, 'role'>): boolean {
  return CONSOLE_ROLES.includes(user.role);
}

/**
 * Whether the conversation is in one of the user's queues: supervisors and admins see every
 * team; an agent sees their teams' conversations and those no rule has routed to a team yet
 * (team null, the shared queue until the handoff policy assigns teams).
 */
export function maySee(user: Pick<AgentProfile, 'role' | 'teams'>, conversation: Pick<ConversationHolding, 'team'>): boolean {
  if (!mayUseConsole(user)) return false;
  if (ALL_TEAMS_ROLES.includes(user.role)) return true;
  return conversation.team === null || user.teams.includes(conversation.team);
}

/**
 * The rule for every agent route, as a table of what each access needs beyond seeing the
 * conversation: claiming, replying and notes are open to whoever sees it (the write path refuses
 * a claim or a reply into a conversation another agent holds, 409); resolving, returning to the
 * bot, transferring and snoozing an assigned conversation are for its holder and for supervisors.
 */
export function mayAccess(user: Pick<AgentProfile, 'id' | 'role' | 'teams'>, conversation: ConversationHolding, access: AgentAccess): boolean {
  if (!maySee(user, conversation)) return false;
  switch (access) {
    case 'view':
    case 'claim':
    case 'reply':
    case 'note':
      return true;
    case 'resolve':
    case 'release':
    case 'transfer':
    case 'snooze':
      return ALL_TEAMS_ROLES.includes(user.role) || conversation.status !== 'assigned' || conversation.assigneeId === user.id;
    default: {
      const unknown: never = access;
      return unknown;
    }
  }
}

/**
 * Throws what a refused access answers: not found when the conversation is not in the user's
 * queues (the same answer as for an id that does not exist), forbidden when it is but the
 * action is not theirs.
 */
export function assertAccess(user: Pick<AgentProfile, 'id' | 'role' | 'teams'>, conversation: ConversationHolding | null, access: AgentAccess): void {
  if (conversation === null || !maySee(user, conversation)) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such conversation');
  if (!mayAccess(user, conversation, access)) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'Another agent holds this conversation');
}
