import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueSchema, type QueueEntry } from '../core/agent-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient, textOf } from '../test/chat-client.js';
import { startTestService, type TestService } from '../test/service.js';
import { TestChannelCustomer, TestChannelProvider } from '../test/test-channel-provider.js';

const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
const OUTAGE = 'Our Mesh cloud service is down in North America; we expect it back by 18:00 UTC.';

describe('technical outages and VIP customers', () => {
  let provider: TestChannelProvider;
  let service: TestService;
  let agent: AgentClient;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService('embedded', { ...provider.env(), ADMIN_TOKEN, ROUTING_AUTO_ASSIGN: 'false' });
    const demo = await demoAgents(service.env.DATA_DIR!);
    agent = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = ADMIN_TOKEN) =>
    fetch(`${service.url}/admin${path}`, {
      method,
      headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const queueEntry = async (conversationId: string | null): Promise<QueueEntry | undefined> => {
    const queue = QueueSchema.parse((await agent.get('/queue')).body);
    return queue.conversations.find((c) => c.id === conversationId);
  };
  const declaration = { title: 'Mesh cloud outage', customerMessage: OUTAGE, families: ['router'] };

  test('declaring an incident needs the admin token and at least one affected device; a refused one stores nothing', async () => {
    expect((await admin('POST', '/incidents', declaration, null)).status).toBe(401);
    expect((await admin('POST', '/incidents', declaration, 'not-the-token')).status).toBe(403);
    const empty = await admin('POST', '/incidents', { ...declaration, families: [] });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toContain('body.families');
    expect(await (await admin('GET', '/incidents')).json()).toEqual({ incidents: [] });
  });

  test('during an outage a Wi-Fi question hears about it instead of steps; asking for a person queues it as technical_outage', async () => {
    const declared = await admin('POST', '/incidents', declaration);
    expect(declared.status).toBe(201);
    const { incident } = (await declared.json()) as { incident: { id: string } };

    const customer = await new ChatClient(service.url).start();
    const told = textOf(await customer.say('my wifi keeps dropping'));
    expect(told).toContain('We know about a problem affecting');
    expect(told).toContain(OUTAGE);
    // No walk through steps that cannot help.
    expect(told).not.toMatch(/Let's fix it together/);
    const { conversationId } = await customer.history();
    expect(await queueEntry(conversationId)).toBeUndefined();

    // A device the incident does not name is troubleshot as usual.
    const other = textOf(await new ChatClient(service.url).start().then((c) => c.say('my camera keeps going offline')));
    expect(other).toMatch(/Let's fix it together/);
    expect(other).not.toContain(OUTAGE);

    await customer.say('Talk to a person', { payload: 'intent:human_agent' });
    const entry = await queueEntry(conversationId);
    expect(entry).toMatchObject({ reason: 'technical_outage', priorityLevel: 'urgent', team: 'technical', category: 'connectivity' });
    expect(entry?.detail ?? '').toContain(incident.id);

    // Resolved: the same question gets the steps again.
    expect((await admin('POST', `/incidents/${incident.id}/resolve`)).status).toBe(200);
    expect((await admin('POST', `/incidents/${incident.id}/resolve`)).status).toBe(404);
    const after = textOf(await new ChatClient(service.url).start().then((c) => c.say('my wifi keeps dropping')));
    expect(after).toMatch(/Let's fix it together/);
    expect(after).not.toContain(OUTAGE);
  });

  test('a VIP writing from their number on file goes to a person the first time the bot cannot understand them, at the vip_customer priority; others get a second try', async () => {
    const grace = new TestChannelCustomer(service, provider, GRACE.phone);
    const plain = await grace.say('hmm about that other matter from before');
    expect(plain.text).not.toMatch(/support team/);
    expect(await queueEntry(plain.conversationId)).toBeUndefined();

    const ada = new TestChannelCustomer(service, provider, ADA.phone);
    const vip = await ada.say('hmm about that other matter from before');
    expect(vip.text).toMatch(/passing you straight to a member of our support team/);
    // The policy's vip_customer rule sets the priority: high, not raised again to urgent.
    expect(await queueEntry(vip.conversationId)).toMatchObject({ reason: 'vip_customer', priorityLevel: 'high', skills: ['vip'] });
  });

  test('any other handoff of a phone-matched VIP is raised a level and needs the vip skill', async () => {
    // The shop marks Grace a VIP; her conversation with the bot is still open.
    await service.database.db.updateTable('customers').set({ vip: true }).where('id', '=', GRACE.customerId).execute();
    const grace = new TestChannelCustomer(service, provider, GRACE.phone);
    const asked = await grace.say('talk to a person');
    // customer_asked is normal for everyone else (handoff/policy.test.ts).
    const entry = await queueEntry(asked.conversationId);
    expect(entry).toMatchObject({ reason: 'customer_asked', priorityLevel: 'high' });
    expect(entry?.skills).toContain('vip');
  });
});
