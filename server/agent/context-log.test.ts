import { describe, expect, test } from 'vitest';
import type { ConversationEvent } from '../../core/conversation.js';
import { encodePolicyDecision, POLICY_DECISION_SLOT } from '../../core/policy-decision.js';
import { OTP_SLOT } from '../../bots/identity-gate.js';
import { GATE_STEPS } from '../../bots/state.js';
import { TRIED_SLOT } from '../../bots/troubleshooting/index.js';
import type { StoredEvent } from '../../db/conversations.js';
import { maskCode, readConversationLog } from './context-log.js';
import { extractiveSummary } from './conversation-summary.js';
import { maskDestination } from './context-package.js';

const at = '2026-12-03T10:00:00.000Z';
const sentiment = { score: 0, frustration: 0 };
const nlu = (intent: string | null, entities: Array<{ type: 'order_number' | 'product'; value: string }> = [], score = 0): ConversationEvent => ({
  at,
  type: 'nlu',
  intent,
  confidence: 0.9,
  ranking: [],
  outOfScope: null,
  entities: entities.map((e) => ({ ...e, raw: e.value, start: 0, end: e.value.length, confidence: 1 })),
  sentiment: { ...sentiment, score },
});
const challenge = (customerId: string | null, hash: string) => JSON.stringify({ customerId, codeHash: hash, expiresAt: 1, via: 'email', claimKeys: [] });

/** A returns conversation: a claim, a code typed at the prompt, an article, a troubleshooting walk, a refusal, a handoff. */
const EVENTS: ConversationEvent[] = [
  { at, type: 'user_said', channel: 'webchat', providerMessageId: 'm1', text: 'I want to return my speaker from order 100234' },
  nlu('return_request', [{ type: 'order_number', value: '100234' }], 0.1),
  { at, type: 'flow_started', flow: 'returns' },
  { at, type: 'flow_step', flow: 'returns', step: GATE_STEPS.awaitingCode },
  { at, type: 'slot_set', name: OTP_SLOT, value: challenge('cus_ada', 'h1') },
  { at, type: 'said', author: 'bot', message: { kind: 'text', text: 'I sent a 6-digit code.' } },
  { at, type: 'user_said', channel: 'webchat', providerMessageId: 'm2', text: 'it is 132 581' },
  nlu(null, [{ type: 'order_number', value: '132581' }]),
  { at, type: 'customer_verified', customerId: 'cus_ada', method: 'otp' },
  { at, type: 'slot_set', name: OTP_SLOT, value: null },
  { at, type: 'said', author: 'bot', message: { kind: 'card', title: 'Source: Return policy', text: '30 days', link: { title: 'Read', url: 'https://shop.example/help/return-policy' } } },
  { at, type: 'said', author: 'bot', message: { kind: 'card', title: 'Return label R1', text: 'Print it', link: { title: 'PDF', url: 'https://shop.example/returns/R1/label.pdf' } } },
  { at, type: 'slot_set', name: TRIED_SLOT, value: JSON.stringify([{ node: 'power', text: 'Unplug it for 10 seconds', outcome: 'not_fixed' }]) },
  {
    at,
    type: 'slot_set',
    name: TRIED_SLOT,
    value: JSON.stringify([
      { node: 'power', text: 'Unplug it for 10 seconds', outcome: 'not_fixed' },
      { node: 'light', text: 'What colour is the light?', outcome: 'answered', answer: 'Red' },
    ]),
  },
  { at, type: 'slot_set', name: POLICY_DECISION_SLOT, value: encodePolicyDecision({ policy: 'returns', outcome: 'refused', reason: 'outside_window', subject: 'order 100234, Speaker' }) },
  { at, type: 'user_said', channel: 'webchat', providerMessageId: 'm3', text: 'this is useless, get me a person' },
  nlu('human_agent', [], -0.6),
  { at, type: 'flow_ended', flow: 'returns', outcome: 'handed_off' },
  { at, type: 'status_changed', from: 'bot', to: 'queued', reason: 'customer_asked' },
  { at, type: 'triaged', issueType: 'returns', team: 'returns', priority: 2, reason: 'customer_asked', detail: 'Return refused: outside the window', category: 'returns' },
];
const STORED: StoredEvent[] = EVENTS.map((event, seq) => ({ seq, event }) as StoredEvent);

describe('reading a conversation log for the context package', () => {
  const log = readConversationLog(STORED);

  test('a code typed at the code prompt is masked and is no entity; the challenge is kept without it', () => {
    expect(log.messages.find((m) => m.seq === 6)?.text).toBe('it is ••••••');
    expect(JSON.stringify(log)).not.toMatch(/132 ?581|h1/);
    expect(log.understanding.find((u) => u.seq === 6)?.entities).toEqual([]);
    expect(log.codes).toEqual([{ at, via: 'email', customerId: 'cus_ada' }]);
    // A longer run of digits (a phone number) is no code; an order number typed elsewhere stays what it is.
    expect(maskCode('132-581, call me on 14155550101')).toBe('••••••, call me on 14155550101');
    expect(log.messages[0]?.text).toContain('100234');
  });

  test('articles shown, the whole troubleshooting walk, the policy decision and the flows are what the bot tried', () => {
    expect(log.tried.articles).toEqual([{ articleId: 'return-policy', title: 'Return policy', at }]);
    expect(log.tried.troubleshooting).toEqual([
      { step: 'Unplug it for 10 seconds', outcome: 'not_fixed', answer: null },
      { step: 'What colour is the light?', outcome: 'answered', answer: 'Red' },
    ]);
    expect(log.tried.policyDecisions).toEqual([{ policy: 'returns', outcome: 'refused', reason: 'outside_window', subject: 'order 100234, Speaker', at }]);
    expect(log.tried.flows).toEqual([{ flow: 'returns', outcome: 'handed_off', at }]);
  });

  test('the handoff comes from the triage, and sentiment is one point per customer message', () => {
    expect(log.handoff).toEqual({ reason: 'customer_asked', detail: 'Return refused: outside the window', priority: 'high', category: 'returns', team: 'returns', issueType: 'returns', at });
    expect(log.sentiment.map((p) => [p.seq, p.score])).toEqual([
      [0, 0.1],
      [6, 0],
      [15, -0.6],
    ]);
  });

  test("the extractive summary states the request, what was named and tried, and why it was handed off", () => {
    const text = extractiveSummary({
      conversationId: 'c1',
      lastSeq: STORED.length - 1,
      messages: log.messages,
      understanding: log.understanding,
      handoff: log.handoff,
      tried: { ...log.tried, codesSent: [{ at, transport: 'email', destination: 'a••@example.com' }] },
      customer: { name: 'Ada Lovelace', orders: [] },
    });
    expect(text).toContain('The customer wrote: “I want to return my speaker from order 100234” (understood as return request, 90%).');
    expect(text).toContain('They mentioned order number 100234.');
    expect(text).toContain('Verified as Ada Lovelace.');
    expect(text).toMatch(/returns \(handed off\).*“Return policy”.*2 troubleshooting steps \(none fixed it\).*returns policy refused it \(outside window\).*1 verification code/);
    expect(text).toContain('Handed off (customer asked): Return refused: outside the window; priority high, for the returns team.');
    expect(text).not.toContain('a••@example.com');
  });
});

test.each([
  ['email', 'ada@example.com', 'a••@example.com'],
  ['sms', '+15551234567', '+•••••••4567'],
] as const)('a %s destination is masked', (transport, to, masked) => {
  expect(maskDestination(transport, to)).toBe(masked);
});
