import { describe, expect, test } from 'vitest';
import type { HandoffReason, Priority } from '../core/handoff-triage.js';
import { loadHandoffPolicy, type TriggerInput } from './policy.js';

const policy = await loadHandoffPolicy();
const calm = { score: 0, frustration: 0 };
const input = (over: Partial<TriggerInput>): TriggerInput => ({ intent: null, sentiment: calm, humanOnly: false, misunderstandings: 0, vip: false, ...over });

describe('VIP customers skip the misunderstanding threshold (trigger)', () => {
  test.each<[string, Partial<TriggerInput>, HandoffReason | null]>([
    ['a VIP understood', { intent: 'order_status', vip: true }, null],
    ['a VIP misunderstood once', { misunderstandings: 1, vip: true }, 'vip_customer'],
    ['anyone else misunderstood once', { misunderstandings: 1 }, null],
    ['anyone else misunderstood twice', { misunderstandings: 2 }, 'misunderstood_twice'],
    ['a VIP misunderstood twice: still the VIP rule', { misunderstandings: 2, vip: true }, 'vip_customer'],
    ['a frustrated VIP: frustration first', { misunderstandings: 1, vip: true, sentiment: { score: -0.9, frustration: 0.9 } }, 'frustration'],
    ['a VIP asking for a person: customer_asked', { intent: 'human_agent', humanOnly: true, vip: true }, 'customer_asked'],
  ])('%s', (_name, over, reason) => {
    expect(policy.trigger(input(over))?.reason ?? null).toBe(reason);
  });
});

describe('the vip_customer and technical_outage rules (triage)', () => {
  const none = { intent: null, lastFlow: null, vip: false };
  test.each<[string, HandoffReason, boolean, Priority, string, string[]]>([
    // The rule is written for VIPs: its priority is not raised again.
    ['vip_customer for a VIP', 'vip_customer', true, 'high', 'general', ['vip']],
    ['technical_outage', 'technical_outage', false, 'urgent', 'technical', ['incident']],
    ['technical_outage for a VIP: urgent stays urgent, and needs both skills', 'technical_outage', true, 'urgent', 'technical', ['incident', 'vip']],
    ['misunderstood_twice for a VIP (a raised level)', 'misunderstood_twice', true, 'high', 'general', ['vip']],
  ])('%s', (_name, reason, vip, priority, team, skills) => {
    expect(policy.triage({ reason, detail: 'd' }, { ...none, vip })).toMatchObject({ reason, priority, team, skills });
  });

  test('the shipped policy hands a VIP off after one message not understood', () => {
    expect(policy.file.vip.misunderstoodInARow).toBe(1);
  });
});
