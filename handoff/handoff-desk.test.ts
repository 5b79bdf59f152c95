import { expect, test } from 'vitest';
import { HandoffDesk } from './handoff-desk.js';
import { loadHandoffPolicy } from './policy.js';

const policy = await loadHandoffPolicy();
const at = new Date('2026-12-07T15:00:00Z');

test('a handoff of a verified VIP is raised a level; the triaged event keeps reason, detail, category, skills and SLA deadlines', async () => {
  const asked: string[] = [];
  const desk = new HandoffDesk(policy, (id) => {
    asked.push(id);
    return Promise.resolve(id === 'C-VIP');
  });
  const event = await desk.triagedEvent({ reason: 'customer_asked', detail: 'asked for a person after order_status' }, { intent: 'human_agent', lastFlow: 'order_status', identifiedCustomerId: 'C-VIP' }, at);
  expect(event).toEqual({
    at: at.toISOString(),
    type: 'triaged',
    issueType: 'order',
    // The shared general team waits in every agent's queue.
    team: null,
    priority: 2,
    reason: 'customer_asked',
    detail: 'asked for a person after order_status',
    category: 'order',
    policyTeam: 'general',
    skills: ['vip'],
    sla: { firstResponseDueAt: '2026-12-07T15:02:00.000Z', resolutionDueAt: '2026-12-08T15:00:00.000Z' },
  });
  expect(asked).toEqual(['C-VIP']);
});

test('nobody verified: no VIP look-up, the rule’s priority, and a routed team is stored as the queue', async () => {
  const desk = new HandoffDesk(policy, () => Promise.reject(new Error('must not be asked')));
  const event = await desk.triagedEvent({ reason: 'repair_needed', detail: 'repair after camera-offline', category: 'device' }, { intent: null, lastFlow: 'troubleshooting', identifiedCustomerId: null }, at);
  expect(event).toMatchObject({ team: 'technical', policyTeam: 'technical', priority: 1, category: 'device', issueType: 'device', skills: ['repairs'] });
});
