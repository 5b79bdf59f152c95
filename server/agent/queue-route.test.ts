import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueSchema } from '../../core/agent-api.js';
import type { ConversationEvent } from '../../core/conversation.js';
import type { HandoffReason, IssueCategory } from '../../core/handoff-triage.js';
import type { ChannelName } from '../../core/message.js';
import { foldEvents } from '../../bots/state.js';
import { projectionOf } from '../../db/conversation-projection.js';
import { ConversationRepository } from '../../db/conversations.js';
import { EventWriter } from '../../db/event-writer.js';
import { triagedEventOf } from '../../handoff/handoff-desk.js';
import { loadHandoffPolicy } from '../../handoff/policy.js';
import { statusChange } from '../../handoff/transition.js';
import { AgentClient, demoAgents } from '../../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
// The queue measures SLAs in each team's hours: the service's clock reads 15:00 UTC today,
// inside every shipped team's hours but billing's weekend, so the expectations hold whenever the suite runs.
const shift = new Date().setUTCHours(15, 0, 0, 0) - Date.now();
const clock = (): Date => new Date(Date.now() + shift);

describe.each(DEPLOYMENTS)('GET /api/agent/queue: priority, category, team, SLA; filtered and sorted (%s)', (deployment) => {
  let service: TestService;
  let supervisor: AgentClient;
  let returnsAgent: AgentClient;
  let technicalAgent: AgentClient;
  let adaId: string;
  const ids: Record<'asked' | 'complaint' | 'device' | 'outage', string> = { asked: '', complaint: '', device: '', outage: '' };

  /** A conversation the bot handed off `agoMs` ago for `reason`, triaged by the shipped policy. */
  async function handedOff(channel: ChannelName, reason: HandoffReason, agoMs: number, category?: IssueCategory, customerId?: string): Promise<string> {
    const repo = new ConversationRepository(service.database.db);
    const contact = await repo.resolveContact(channel, `sender-${randomUUID()}`);
    if (customerId !== undefined) await repo.linkCustomer(contact.contactId, customerId);
    const conversation = await repo.openConversation(contact.contactId, channel);
    const when = new Date(clock().getTime() - agoMs);
    const at = when.toISOString();
    const policy = await loadHandoffPolicy();
    const events: ConversationEvent[] = [
      { at, type: 'user_said', channel, providerMessageId: randomUUID(), senderId: contact.contactId, text: 'help me' },
      ...statusChange('bot', 'request_human', reason, at),
      triagedEventOf(policy, policy.triage({ reason, detail: `${reason} detail`, ...(category !== undefined ? { category } : {}) }, { intent: null, lastFlow: null, vip: false }), when),
    ];
    await new EventWriter(service.database.db).commit({ conversationId: conversation.id, firstSeq: 0, events, projection: projectionOf(foldEvents(events)), effects: [] });
    return conversation.id;
  }

  beforeAll(async () => {
    service = await startTestService(deployment, {}, { now: clock });
    const demo = await demoAgents(service.env.DATA_DIR!);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    returnsAgent = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
    technicalAgent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    adaId = (await service.database.db.selectFrom('customers').select('id').where('email', '=', 'ada@example.com').executeTakeFirstOrThrow()).id;
    ids.asked = await handedOff('webchat', 'customer_asked', 1 * MINUTE);
    ids.complaint = await handedOff('sms', 'complaint', 30 * MINUTE);
    ids.device = await handedOff('webchat', 'troubleshooting_failed', 100 * SECOND, 'device', adaId);
    ids.outage = await handedOff('sms', 'technical_outage', 5 * MINUTE);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  /** The seeded conversations the query lists, by name, in its order. */
  async function listed(query: string, as: AgentClient = supervisor): Promise<string[]> {
    const res = await as.get(`/queue${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    return QueueSchema.parse(res.body).conversations.flatMap((c) => (byId[c.id] !== undefined ? [byId[c.id]!] : []));
  }

  test('each entry shows its priority, category, team, channel, customer, waiting time and SLA due times', async () => {
    const queue = QueueSchema.parse((await supervisor.get('/queue')).body).conversations;
    const device = queue.find((c) => c.id === ids.device)!;
    expect(device).toMatchObject({
      channel: 'webchat',
      customer: 'Ada Lovelace',
      reason: 'troubleshooting_failed',
      detail: 'troubleshooting_failed detail',
      priorityLevel: 'normal',
      priority: 1,
      category: 'device',
      team: 'technical',
      skills: ['troubleshooting'],
      waitingSince: expect.any(String),
      sla: { status: 'at_risk', firstResponseAt: null, breached: [] },
    });
    // Technical's hours: the due times follow them (never before the handoff).
    expect(Date.parse(device.sla!.firstResponseDueAt)).toBeGreaterThan(Date.parse(device.handedOffAt!));
    expect(queue.find((c) => c.id === ids.outage)).toMatchObject({ priorityLevel: 'urgent', category: 'connectivity', team: 'technical', channel: 'sms', customer: 'Visitor' });
    expect(queue.find((c) => c.id === ids.complaint)).toMatchObject({ priorityLevel: 'high', team: null, sla: { status: 'breached' } });
  });

  test.each([
    ['', ['outage', 'complaint', 'device', 'asked']],
    ['?priority=urgent,high', ['outage', 'complaint']],
    ['?priority=urgent&priority=high', ['outage', 'complaint']],
    ['?channel=sms', ['outage', 'complaint']],
    ['?category=device', ['device']],
    ['?issueType=device', ['device']],
    ['?customerId=ADA', ['device']],
    ['?sla=at_risk', ['device']],
    ['?sla=breached', ['outage', 'complaint']],
    ['?sla=on_track', ['asked']],
    ['?waitingMinutes=4', ['outage', 'complaint']],
    ['?sort=waiting', ['complaint', 'outage', 'device', 'asked']],
    ['?sort=waiting&order=desc', ['asked', 'device', 'outage', 'complaint']],
    ['?sort=channel', ['outage', 'complaint', 'device', 'asked']],
    ['?sort=priority&order=asc', ['device', 'asked', 'complaint', 'outage']],
    ['?channel=webchat&sort=waiting', ['device', 'asked']],
  ])('the supervisor’s queue%s', async (query, expected) => {
    expect(await listed(query.replace('ADA', encodeURIComponent(adaId)))).toEqual(expected);
  });

  test('the SLA sort puts the soonest (or most overdue) deadline first', async () => {
    const order = await listed('?sort=sla');
    // complaint's first response was due 28 minutes ago, the outage's 3; device's is seconds away in technical's hours or later.
    expect(order.slice(0, 2)).toEqual(['complaint', 'outage']);
  });

  test('filters apply within the agent’s own queues only', async () => {
    expect(await listed('', returnsAgent)).toEqual(['complaint', 'asked']);
    expect(await listed('?channel=sms', returnsAgent)).toEqual(['complaint']);
    expect(await listed('?category=device', returnsAgent)).toEqual([]);
    expect(await listed('?category=device', technicalAgent)).toEqual(['device']);
  });

  test.each([['?priority=asap'], ['?sla=late'], ['?waitingMinutes=-1'], ['?sort=name'], ['?channel=fax'], ['?unknown=1']])('an invalid query %s is a 400 naming the parameter', async (query) => {
    const res = await supervisor.get(`/queue${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [expect.objectContaining({ path: expect.stringMatching(/^query/) })] } });
  });
});
