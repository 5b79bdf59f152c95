import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import type { HandoffReason, IssueCategory, Priority } from '../core/handoff-triage.js';
import { DEFAULT_HANDOFF_POLICY_FILE, loadHandoffPolicyFile, parseHandoffPolicy } from './policy-file.js';
import { HandoffPolicy, loadHandoffPolicy, type TriggerInput } from './policy.js';

const policy = await loadHandoffPolicy();
const shipped = await readFile(DEFAULT_HANDOFF_POLICY_FILE, 'utf8');
const none = { intent: null, lastFlow: null, vip: false };

describe('the shipped handoff policy triages each reason', () => {
  test.each<[string, HandoffReason, { category?: IssueCategory; lastFlow?: string; intent?: string }, Priority, IssueCategory | null, string, string | null, string[]]>([
    // name, reason, what the turn knows, → priority, category, team, stored queue team, skills
    ['a customer asking for a person, nothing tried', 'customer_asked', {}, 'normal', null, 'general', null, []],
    ['a customer asking for a person after order status', 'customer_asked', { lastFlow: 'order_status' }, 'normal', 'order', 'general', null, []],
    ['a customer asking for a person after a return', 'customer_asked', { lastFlow: 'returns' }, 'normal', 'returns', 'returns', 'returns', []],
    ['a customer asking for a person about a payment', 'customer_asked', { lastFlow: 'payment' }, 'high', 'payment', 'billing', 'billing', []],
    ['a customer asking for a person after troubleshooting', 'customer_asked', { lastFlow: 'troubleshooting' }, 'normal', 'device', 'technical', 'technical', []],
    ['a complaint', 'complaint', { intent: 'complaint' }, 'high', null, 'general', null, ['escalations']],
    ['an intent only people handle', 'human_only_intent', { intent: 'legal_threat' }, 'high', null, 'general', null, ['escalations']],
    ['frustration', 'frustration', {}, 'high', null, 'general', null, ['de-escalation']],
    ['a VIP reason', 'vip_customer', {}, 'high', null, 'general', null, ['vip']],
    ['a parcel missing for too long', 'missing_parcel', { category: 'delivery' }, 'high', 'delivery', 'general', null, ['carrier-claims']],
    ['an address change to review', 'order_change_review', { category: 'order' }, 'high', 'order', 'general', null, ['order-review']],
    ['failed troubleshooting', 'troubleshooting_failed', { category: 'device' }, 'normal', 'device', 'technical', 'technical', ['troubleshooting']],
    ['failed troubleshooting of connectivity', 'troubleshooting_failed', { category: 'connectivity' }, 'normal', 'connectivity', 'technical', 'technical', ['troubleshooting']],
    ['a repair', 'repair_needed', { category: 'device' }, 'normal', 'device', 'technical', 'technical', ['repairs']],
    ['a return beyond policy', 'beyond_policy', { category: 'returns' }, 'normal', 'returns', 'returns', 'returns', ['policy-exceptions']],
    ['a technical outage', 'technical_outage', {}, 'urgent', 'connectivity', 'technical', 'technical', ['incident']],
    ['misunderstood twice', 'misunderstood_twice', {}, 'normal', null, 'general', null, []],
  ])('%s', (_name, reason, known, priority, category, team, queueTeam, skills) => {
    const triage = policy.triage(
      { reason, detail: 'what happened', ...(known.category !== undefined ? { category: known.category } : {}) },
      { ...none, lastFlow: known.lastFlow ?? null, intent: known.intent ?? null },
    );
    expect(triage).toEqual({ reason, detail: 'what happened', priority, category, team, skills });
    expect(policy.queueTeam(triage.team)).toBe(queueTeam);
  });

  test.each<[HandoffReason, Priority, Priority]>([
    ['customer_asked', 'normal', 'high'],
    ['complaint', 'high', 'urgent'],
    ['technical_outage', 'urgent', 'urgent'],
  ])('a VIP customer’s %s is raised from %s to %s, and needs the vip skill', (reason, plain, raised) => {
    expect(policy.triage({ reason, detail: '' }, none).priority).toBe(plain);
    const vip = policy.triage({ reason, detail: '' }, { ...none, vip: true });
    expect(vip.priority).toBe(raised);
    expect(vip.skills).toContain('vip');
  });

  test('the flow’s own category wins over the guess from the last flow tried', () => {
    expect(policy.triage({ reason: 'customer_asked', detail: '', category: 'payment' }, { ...none, lastFlow: 'returns' })).toMatchObject({ category: 'payment', team: 'billing' });
  });

  test('a rule matching on intent, category and vip is applied only when all match, and is not raised again for VIPs', () => {
    const file = parseHandoffPolicy(
      stringify({
        defaults: { team: 'general' },
        teams: { general: { shared: true }, vip: {} },
        rules: [
          { when: { reason: 'customer_asked', intent: 'human_agent', category: 'order', vip: true }, priority: 'high', team: 'vip', skills: ['concierge'] },
          { when: {}, priority: 'low' },
        ],
      }),
      'inline.yaml',
    );
    const custom = new HandoffPolicy(file);
    const all = { intent: 'human_agent', lastFlow: 'order_status', vip: true };
    expect(custom.triage({ reason: 'customer_asked', detail: '', category: 'order' }, all)).toMatchObject({ priority: 'high', team: 'vip', skills: ['concierge'] });
    expect(custom.triage({ reason: 'customer_asked', detail: '', category: 'order' }, { ...all, intent: 'complaint' })).toMatchObject({ priority: 'normal', team: 'general' });
    expect(custom.triage({ reason: 'customer_asked', detail: '', category: 'order' }, { ...all, vip: false })).toMatchObject({ priority: 'low', team: 'general' });
  });

  test('SLA deadlines: 2 minutes / 24 hours around the clock by default; a team’s own targets in its business hours', () => {
    // Friday 16:59 in New York.
    const friday = new Date('2026-12-04T21:59:00Z');
    expect(policy.slaDue('general', friday)).toEqual({ firstResponseDueAt: '2026-12-04T22:01:00.000Z', resolutionDueAt: '2026-12-05T21:59:00.000Z' });
    // Billing: 5 minutes in Mon–Fri 09:00–17:00: one minute on Friday, four on Monday morning.
    expect(policy.slaDue('billing', friday).firstResponseDueAt).toBe('2026-12-07T14:04:00.000Z');
    expect(policy.serviceLevel('returns').targets).toEqual({ firstResponseMinutes: 2, resolutionHours: 48, nextResponseMinutes: 10 });
    expect(policy.serviceLevel(null).targets).toEqual({ firstResponseMinutes: 2, resolutionHours: 24, nextResponseMinutes: 10 });
    // The next answer to a customer a person holds: 10 working minutes (billing's hours: Monday morning).
    expect(policy.nextResponseDue('general', friday).toISOString()).toBe('2026-12-04T22:09:00.000Z');
    expect(policy.nextResponseDue('billing', friday).toISOString()).toBe('2026-12-07T14:09:00.000Z');
  });
});

describe('when the conversation must go to a person now (trigger)', () => {
  const calm = { score: 0, frustration: 0 };
  test.each<[string, TriggerInput, HandoffReason | null]>([
    ['a calm, understood message', { intent: 'order_status', sentiment: calm, humanOnly: false, misunderstandings: 0, vip: false }, null],
    ['the customer asks for a person', { intent: 'human_agent', sentiment: calm, humanOnly: true, misunderstandings: 0, vip: false }, 'customer_asked'],
    ['an intent only people handle', { intent: 'legal_threat', sentiment: calm, humanOnly: true, misunderstandings: 0, vip: false }, 'human_only_intent'],
    ['strongly negative sentiment', { intent: 'order_status', sentiment: { score: -0.9, frustration: 0.1 }, humanOnly: false, misunderstandings: 0, vip: false }, 'frustration'],
    ['frustration', { intent: 'order_status', sentiment: { score: -0.2, frustration: 0.85 }, humanOnly: false, misunderstandings: 0, vip: false }, 'frustration'],
    ['mildly negative, a little frustrated', { intent: 'order_status', sentiment: { score: -0.5, frustration: 0.5 }, humanOnly: false, misunderstandings: 0, vip: false }, null],
    ['misunderstood once', { intent: null, sentiment: calm, humanOnly: false, misunderstandings: 1, vip: false }, null],
    ['misunderstood twice in a row', { intent: null, sentiment: calm, humanOnly: false, misunderstandings: 2, vip: false }, 'misunderstood_twice'],
    ['frustrated and misunderstood: frustration first', { intent: null, sentiment: { score: -1, frustration: 1 }, humanOnly: false, misunderstandings: 3, vip: false }, 'frustration'],
    ['humanOnly without an intent is no trigger on its own', { intent: null, sentiment: calm, humanOnly: true, misunderstandings: 0, vip: false }, null],
  ])('%s', (_name, input, reason) => {
    const trigger = policy.trigger(input);
    expect(trigger?.reason ?? null).toBe(reason);
    if (trigger !== null) expect(trigger.detail).not.toBe('');
  });
});

describe('an invalid policy file stops the start with SB_ERR_CONFIG naming the file, the field and the fix', () => {
  const base = parse(shipped) as Record<string, unknown>;
  // The shipped file as loose data, to break one field at a time.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Loose = Record<string, any>;
  const edit = (change: (p: Loose) => void): string => {
    const copy = structuredClone(base) as Loose;
    change(copy);
    return stringify(copy);
  };
  test.each<[string, string, RegExp]>([
    ['an unknown reason', edit((p) => (p.rules[0].when.reason = 'angry')), /rules\[0\]\.when\.reason/],
    ['an unknown priority', edit((p) => (p.rules[1].priority = 'asap')), /rules\[1\]\.priority/],
    ['an unknown category', edit((p) => (p.categoryTeams.furniture = 'general')), /categoryTeams/],
    ['a rule naming a team that is not configured', edit((p) => (p.rules[2].team = 'sales')), /rules\[2\]\.team names the team "sales", which is not under teams/],
    ['a default team that is not configured', edit((p) => (p.defaults.team = 'nobody')), /defaults\.team/],
    ['an unknown field (a typo)', edit((p) => (p.rules[0].prority = 'high')), /rules\[0\]/],
    ['a time zone that does not exist', edit((p) => (p.teams.billing.hours.timeZone = 'Mars/Olympus')), /teams\.billing\.hours.*IANA time zone/],
    ['business hours that end before they start', edit((p) => (p.teams.billing.hours.days.mon = '17:00-09:00')), /teams\.billing\.hours.*ends before it starts/],
    ['a negative SLA', edit((p) => (p.defaults.sla.firstResponseMinutes = -1)), /defaults\.sla\.firstResponseMinutes/],
    ['a next-response target that is not a number', edit((p) => (p.defaults.sla.nextResponseMinutes = 'soon')), /defaults\.sla\.nextResponseMinutes/],
    ['no rules', edit((p) => (p.rules = [])), /rules/],
    ['not YAML at all', 'rules: [\n', /not valid YAML: line/],
    ['a YAML tag', `${shipped}\nextra: !!js/function "x"`, /not valid YAML/],
  ])('%s', (_name, source, field) => {
    let error: unknown;
    try {
      parseHandoffPolicy(source, '/etc/switchboard/handoff.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'SB_ERR_CONFIG' });
    const message = (error as Error).message;
    expect(message).toContain('/etc/switchboard/handoff.yaml');
    expect(message).toMatch(field);
    expect(message).toMatch(/Fix|fix/);
  });

  test('a file that cannot be read names it', async () => {
    await expect(loadHandoffPolicyFile('/nonexistent/handoff-policy.yaml')).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringContaining('/nonexistent/handoff-policy.yaml') });
  });

  test('the shipped file is valid and sets the seed targets', () => {
    expect(parseHandoffPolicy(shipped, DEFAULT_HANDOFF_POLICY_FILE).defaults.sla).toEqual({ firstResponseMinutes: 2, resolutionHours: 24, nextResponseMinutes: 10 });
  });

  test('a file written before the next-response target existed still loads, with 10 minutes', () => {
    const older = shipped.replace(/^\s*nextResponseMinutes: 10\n/m, '');
    expect(older).not.toContain('nextResponseMinutes');
    expect(parseHandoffPolicy(older, DEFAULT_HANDOFF_POLICY_FILE).defaults.sla.nextResponseMinutes).toBe(10);
  });
});

test('a service given an invalid HANDOFF_POLICY_FILE does not start, and says which field to fix', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { startTestService } = await import('../test/service.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-policy-'));
  const file = path.join(dir, 'handoff.yaml');
  await writeFile(file, shipped.replace('priority: urgent', 'priority: asap'));
  try {
    await expect(startTestService('embedded', { HANDOFF_POLICY_FILE: file })).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringMatching(new RegExp(`${file}.*rules\\[0\\]\\.priority`)) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
