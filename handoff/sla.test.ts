import { expect, test } from 'vitest';
import type { ConversationEvent } from '../core/conversation.js';
import type { HandoffSlaKind as SlaKind } from '../core/handoff-triage.js';
import { foldEvents } from '../bots/state.js';
import { slaVerdict } from './sla.js';

const T = (minutes: number): string => new Date(Date.UTC(2026, 11, 7, 15, minutes)).toISOString();
const handedOff: ConversationEvent[] = [
  { at: T(0), type: 'user_said', channel: 'webchat', providerMessageId: 'm1', senderId: 's', text: 'talk to a person' },
  { at: T(0), type: 'status_changed', from: 'bot', to: 'queued', reason: 'customer_asked' },
  { at: T(0), type: 'triaged', issueType: 'general', team: null, priority: 1, reason: 'customer_asked', detail: '', category: null, policyTeam: 'general', skills: [], sla: { firstResponseDueAt: T(2), resolutionDueAt: T(60) } },
];
const HANDOFF_SEQ = 2;
const agentSaid = (minute: number): ConversationEvent => ({ at: T(minute), type: 'said', author: 'agent', authorId: 'u1', message: { kind: 'text', text: 'Hi' } });
const breach = (kind: SlaKind): ConversationEvent => ({ at: T(3), type: 'sla_breached', kind, handoffSeq: HANDOFF_SEQ, dueAt: T(2), priority: 2 });

test.each<[string, SlaKind, ConversationEvent[], number, string]>([
  ['nobody answered within 2 minutes: breached', 'first_response', [], 3, 'breached'],
  ['an agent answered in time: met', 'first_response', [agentSaid(1)], 3, 'nothing:met'],
  ['an agent answered late: still breached', 'first_response', [agentSaid(5)], 6, 'breached'],
  ['checked before its time: not due', 'first_response', [], 1, 'not_due'],
  ['already recorded (the job ran twice): nothing', 'first_response', [breach('first_response')], 4, 'nothing:already_recorded'],
  ['the other target recorded does not count', 'resolution', [breach('first_response')], 61, 'breached'],
  ['resolved in time: nothing', 'resolution', [{ at: T(30), type: 'status_changed', from: 'queued', to: 'resolved', reason: 'solved' }], 61, 'nothing:not_waiting'],
  ['handed back to the bot: nothing', 'first_response', [{ at: T(1), type: 'status_changed', from: 'queued', to: 'bot', reason: 'released' }], 3, 'nothing:not_waiting'],
  [
    'handed off again since: the old check is superseded',
    'first_response',
    [{ at: T(1), type: 'triaged', issueType: 'general', team: null, priority: 1, sla: { firstResponseDueAt: T(3), resolutionDueAt: T(61) } }],
    4,
    'nothing:superseded',
  ],
])('%s', (_name, kind, after, minute, expected) => {
  const events = [...handedOff, ...after];
  const verdict = slaVerdict({ kind, handoffSeq: HANDOFF_SEQ, log: events.map((event, seq) => ({ seq, event })), state: foldEvents(events), now: new Date(T(minute)) });
  expect(verdict.kind === 'nothing' ? `nothing:${verdict.why}` : verdict.kind).toBe(expected);
  // One level above where it stands (a first breach already raised it once).
  if (verdict.kind === 'breached') expect(verdict.event).toMatchObject({ type: 'sla_breached', kind, handoffSeq: HANDOFF_SEQ, priority: foldEvents(events).priority + 1 });
});

test('a breach raises the priority one level, urgent staying urgent; the fold applies it', () => {
  const urgent: ConversationEvent[] = handedOff.map((e) => (e.type === 'triaged' ? { ...e, priority: 3 } : e));
  const verdict = slaVerdict({ kind: 'first_response', handoffSeq: HANDOFF_SEQ, log: urgent.map((event, seq) => ({ seq, event })), state: foldEvents(urgent), now: new Date(T(5)) });
  expect(verdict).toMatchObject({ kind: 'breached', event: { priority: 3 } });
  const raised = slaVerdict({ kind: 'first_response', handoffSeq: HANDOFF_SEQ, log: handedOff.map((event, seq) => ({ seq, event })), state: foldEvents(handedOff), now: new Date(T(5)) });
  if (raised.kind !== 'breached') throw new Error('expected a breach');
  expect(foldEvents([...handedOff, raised.event]).priority).toBe(2);
});

test('a handoff recorded before SLAs existed has nothing to check', () => {
  const old: ConversationEvent[] = handedOff.map((e) => (e.type === 'triaged' ? { at: e.at, type: 'triaged', issueType: 'general', team: null, priority: 0 } : e));
  expect(slaVerdict({ kind: 'first_response', handoffSeq: HANDOFF_SEQ, log: old.map((event, seq) => ({ seq, event })), state: foldEvents(old), now: new Date(T(5)) })).toEqual({ kind: 'nothing', why: 'no_sla' });
});
