import { describe, expect, test } from 'vitest';
import type { AgentProfile } from '../core/agent-api.js';
import { assertAccess, mayAccess, type AgentAccess, type ConversationHolding } from './agent-access.js';

const user = (role: AgentProfile['role'], teams: string[] = [], id = 'me'): Pick<AgentProfile, 'id' | 'role' | 'teams'> => ({ id, role, teams });
const queued = (team: string | null): ConversationHolding => ({ status: 'queued', team, assigneeId: null });
const heldBy = (assigneeId: string, team: string | null = 'returns'): ConversationHolding => ({ status: 'assigned', team, assigneeId });

const ALL: AgentAccess[] = ['view', 'claim', 'reply', 'note', 'resolve', 'release', 'transfer', 'snooze'];
const OPEN: AgentAccess[] = ['view', 'claim', 'reply', 'note'];
const HOLDER: AgentAccess[] = ['resolve', 'release', 'transfer', 'snooze'];

describe('who may do what with a conversation', () => {
  test.each([
    ['an agent, in the conversation’s team', user('agent', ['returns']), queued('returns'), ALL],
    ['an agent, on an unrouted conversation', user('agent', ['technical']), queued(null), ALL],
    ['an agent of another team', user('agent', ['technical']), queued('returns'), []],
    ['an agent with no team, on a routed one', user('agent'), queued('returns'), []],
    ['a supervisor of another team', user('supervisor', ['technical']), queued('returns'), ALL],
    ['an admin', user('admin'), queued('returns'), ALL],
    ['an editor', user('editor', ['returns']), queued('returns'), []],
    ['an agent, on one they hold', user('agent', ['returns']), heldBy('me'), ALL],
    ['an agent, on one another agent holds', user('agent', ['returns']), heldBy('them'), OPEN],
    ['a supervisor, on one an agent holds', user('supervisor'), heldBy('them'), ALL],
  ] as const)('%s', (_name, who, conversation, allowed) => {
    for (const access of ALL) expect(mayAccess(who, conversation, access), access).toBe((allowed as readonly AgentAccess[]).includes(access));
  });

  test('outside the user’s queues the answer is “not found”, as for an id that does not exist; inside, a refusal is “forbidden”', () => {
    expect(() => assertAccess(user('agent', ['technical']), queued('returns'), 'view')).toThrow(expect.objectContaining({ code: 'SB_ERR_NOT_FOUND' }));
    expect(() => assertAccess(user('agent', ['technical']), null, 'view')).toThrow(expect.objectContaining({ code: 'SB_ERR_NOT_FOUND' }));
    for (const access of HOLDER) {
      expect(() => assertAccess(user('agent', ['returns']), heldBy('them'), access)).toThrow(expect.objectContaining({ code: 'SB_ERR_FORBIDDEN' }));
    }
  });
});
