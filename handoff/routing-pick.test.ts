import { describe, expect, test } from 'vitest';
import { effectiveStatus } from './presence.js';
import { eligible, pickAgent, type RoundAgent, type RoundConversation } from './routing.js';

const agent = (id: string, over: Partial<RoundAgent> = {}): RoundAgent => ({ id, teams: [], skills: [], capacity: 2, held: 0, ...over });
const conversation = (over: Partial<RoundConversation> = {}): RoundConversation => ({ id: 'c1', team: null, skills: [], offer: null, tried: new Map(), ...over });

describe('who may take a conversation', () => {
  test.each([
    ['a shared conversation, any agent', conversation(), agent('a'), true],
    ["the team's conversation, a member", conversation({ team: 'returns' }), agent('a', { teams: ['returns'] }), true],
    ["another team's conversation", conversation({ team: 'returns' }), agent('a', { teams: ['technical'] }), false],
    ['a required skill the agent has', conversation({ skills: ['vip'] }), agent('a', { skills: ['vip', 'incident'] }), true],
    ['a required skill the agent lacks', conversation({ skills: ['vip', 'incident'] }), agent('a', { skills: ['vip'] }), false],
  ])('%s', (_name, c, a, expected) => {
    expect(eligible(a, c)).toBe(expected);
  });
});

describe('which agent gets the offer', () => {
  test('nobody over capacity: an agent whose held and offered conversations fill their capacity gets none', () => {
    expect(pickAgent(conversation(), [agent('a')], new Map([['a', 2]]))).toBeNull();
    expect(pickAgent(conversation(), [agent('a', { capacity: 3 })], new Map([['a', 2]]))?.id).toBe('a');
  });
  test('the least loaded for their capacity first, ties by id', () => {
    expect(pickAgent(conversation(), [agent('a'), agent('b'), agent('c', { capacity: 4 })], new Map([['a', 1], ['b', 0], ['c', 1]]))?.id).toBe('b');
    expect(pickAgent(conversation(), [agent('b'), agent('a')], new Map())?.id).toBe('a');
  });
  test('an offer that timed out or was declined moves on to the next agent, and comes round again once everyone had it', () => {
    const tried = conversation({ tried: new Map([['a', 5]]) });
    expect(pickAgent(tried, [agent('a'), agent('b', { held: 1 })], new Map([['a', 0], ['b', 1]]))?.id).toBe('b');
    const everyone = conversation({ tried: new Map([['a', 9], ['b', 5]]) });
    expect(pickAgent(everyone, [agent('a'), agent('b')], new Map())?.id).toBe('b');
    expect(pickAgent(conversation({ tried: new Map([['a', 5]]) }), [agent('a')], new Map())?.id).toBe('a');
  });
});

describe('presence routing goes by', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  test.each([
    ['never set: offline', null, 'offline'],
    ['online with a recent heartbeat', { status: 'online' as const, lastSeenAt: ago(10) }, 'online'],
    ['online, silent past the threshold: away', { status: 'online' as const, lastSeenAt: ago(301) }, 'away'],
    ['away stays away', { status: 'away' as const, lastSeenAt: ago(1) }, 'away'],
    ['offline stays offline', { status: 'offline' as const, lastSeenAt: ago(1) }, 'offline'],
  ])('%s', (_name, record, expected) => {
    expect(effectiveStatus(record, now, 300_000)).toBe(expected);
  });
});
