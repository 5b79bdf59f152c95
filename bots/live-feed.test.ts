import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationEventTypeSchema } from '../core/conversation.js';
import type { PubSub } from '../core/stores.js';
import { ConversationRepository, type StoredEvent } from '../db/conversations.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient, latestCode } from '../test/chat-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { DEPLOYMENTS } from '../test/service.js';
import { TestChannelCustomer, TestChannelProvider } from '../test/test-channel-provider.js';
import { CONVERSATION_TOPIC, LiveFeed, type Announcement } from './live-feed.js';

/** Pub/sub that loses the announcements `drop` picks, as a reconnect or a slow subscriber would. */
function lossy(pubsub: PubSub, drop: (announcement: Announcement) => boolean): PubSub {
  return {
    publish: (topic, message) => pubsub.publish(topic, message),
    subscribe: (topic, handler) =>
      pubsub.subscribe(topic, (message) => {
        if (topic === CONVERSATION_TOPIC && drop(JSON.parse(message) as Announcement)) return;
        handler(message);
      }),
  };
}

const silent = { warn: () => undefined };

describe.each(DEPLOYMENTS)('the live feed (%s)', (deployment) => {
  let pair: InstancePair;
  let provider: TestChannelProvider;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    pair = await startInstancePair(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ...provider.env() });
  });
  afterAll(async () => {
    await pair?.dispose();
    await provider?.stop();
  });

  test('announces every stored event, of every type and whoever wrote it, on the other instance too, in seq order without gaps', async () => {
    const { a, b } = pair;
    const heard: Announcement[] = [];
    const unsubscribe = await b.liveFeed.subscribe((announcement) => heard.push(announcement));
    const client = await new ChatClient(a.url).start();
    await client.say('where is my order 100234?');
    await client.say((await latestCode(a.url, 'ada@example.com'))!);
    // Ada texts from the number on her profile: matched, and joined to this verified conversation.
    const joined = await new TestChannelCustomer(a, provider, DEMO_FIXTURES.phone).say('thanks, and is it insured?');
    expect(joined.conversationId).toBe((await client.history()).conversationId);
    // The dialogue's own events: a step back, a digression set aside and resumed.
    await client.say('I want to return my Voltline Buds ANC from order 100235');
    await client.say('unopened');
    await client.say('go back');
    await client.say('where is my order 100234?');
    await client.say('yes');
    await client.say('talk to a person');
    // While waiting, the customer asks to be emailed instead (a follow-up task for the team).
    await client.say('Email me', { payload: 'follow-up:email' });
    const conversationId = (await client.history()).conversationId!;
    // Nobody answered within the SLA: the check, run as if its deadline (in the team's hours) had passed, records the breach.
    const handoffSeq = (await new ConversationRepository(a.database.db).loadEvents(conversationId)).filter((e) => e.event.type === 'triaged').at(-1)!.seq;
    await b.slaChecks.check({ conversationId, handoffSeq, kind: 'first_response' }, new Date(Date.now() + 8 * 24 * 60 * 60_000));
    // Routing offers it: declined by one agent, left to expire by the next.
    await b.offers.offer(conversationId, 'agent-1', 60_000);
    await a.offers.decline(conversationId, 'agent-1');
    await b.offers.offer(conversationId, 'agent-2', 0);
    const offered = (await new ConversationRepository(a.database.db).loadEvents(conversationId)).filter((e) => e.event.type === 'offered').at(-1)!;
    await a.offers.expire({ conversationId, offerSeq: offered.seq, offerId: offered.event.type === 'offered' ? offered.event.offerId : '' });
    // A supervisor at the console: a code by email the customer mistypes, an audited action for
    // the customer the bot verified, and a snooze.
    const { supervisor } = await demoAgents(a.env.DATA_DIR!);
    const desk = await new AgentClient(a.url).login(supervisor.email, supervisor.password);
    expect((await desk.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber: '100234' })).status).toBe(200);
    expect((await desk.post(`/conversations/${conversationId}/verification/check`, { code: '000000' })).status).toBeLessThan(500);
    expect((await desk.post(`/conversations/${conversationId}/actions/refund`, { orderNumber: '100234', reason: 'charged twice' })).status).toBe(200);
    expect((await desk.post(`/conversations/${conversationId}/associate`, { customerId: DEMO_FIXTURES.customerId })).status).toBe(200);
    expect((await desk.post(`/conversations/${conversationId}/snooze`, { until: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(200);
    await b.agentActions.assign(conversationId, 'agent-1');
    await a.agentActions.agentSay(conversationId, 'agent-1', 'Hi Ada, I can help with that.');
    await b.agentActions.addNote(conversationId, 'agent-1', 'Ada is verified.');
    // A follow-up reminder set, cancelled, set again and fallen due (run as if its time had come).
    const remindAt = new Date(Date.now() + 3_600_000).toISOString();
    expect((await desk.post(`/conversations/${conversationId}/follow-up`, { at: remindAt, note: 'check the refund' })).status).toBe(200);
    expect((await desk.call('DELETE', `/conversations/${conversationId}/follow-up`)).status).toBe(204);
    const reminder = (await desk.post(`/conversations/${conversationId}/follow-up`, { at: remindAt, note: 'check the refund' })).body as { id: string };
    expect(await b.followUps.due(conversationId, reminder.id, new Date(Date.now() + 2 * 3_600_000))).toMatchObject({ kind: 'notified' });
    await a.agentActions.transfer(conversationId, 'agent-1', { team: 'returns', reason: 'a return' });
    await b.agentActions.claim(conversationId, 'agent-2');
    await a.agentActions.resolveWithDisposition(conversationId, 'agent-2', 'solved');
    // The satisfaction survey: a rating and a comment.
    await client.say('5');
    await client.say('very quick, thank you');

    // A number on file matched on a conversation of its own (one that no code verified) completes the set.
    const matched = await new TestChannelCustomer(b, provider, DEMO_FIXTURES.second.phone).say("hi, where's my order?");
    await expect.poll(() => heard.some((h) => h.conversationId === matched.conversationId && h.type === 'customer_matched')).toBe(true);

    const log = await new ConversationRepository(a.database.db).loadEvents(conversationId);
    const mine = () => heard.filter((h) => h.conversationId === conversationId);
    await expect.poll(() => mine().length).toBe(log.length);
    await unsubscribe();
    expect(mine()).toEqual(log.map((e) => ({ conversationId, seq: e.seq, type: e.event.type })));
    expect(new Set([...mine(), ...heard.filter((h) => h.conversationId === matched.conversationId)].map((h) => h.type))).toEqual(new Set(ConversationEventTypeSchema.options));
  });

  test('a consumer that missed announcements catches up by seq: from where it stopped, and across a lost one', async () => {
    const { a, b } = pair;
    const client = await new ChatClient(a.url).start();
    await client.say('hello');
    await client.say('talk to a person');
    const conversationId = (await client.history()).conversationId!;
    const repo = new ConversationRepository(b.database.db);
    const stored = await repo.loadEvents(conversationId);

    // It saw up to seq 1 before it went away; the next announcement it gets is lost on the way.
    const lostSeq = stored.length;
    const feed = new LiveFeed({ pubsub: lossy(b.state.pubsub, (h) => h.conversationId === conversationId && h.seq === lostSeq), events: repo, log: silent });
    const delivered: StoredEvent[] = [];
    const stop = await feed.follow(conversationId, 1, (event) => delivered.push(event));
    await expect.poll(() => delivered.length).toBe(stored.length - 2);

    await a.agentActions.agentSay(conversationId, 'agent-1', 'first reply');
    await a.agentActions.agentSay(conversationId, 'agent-1', 'second reply');
    const log = await repo.loadEvents(conversationId);
    await expect.poll(() => delivered.length).toBe(log.length - 2);
    await stop();
    expect(delivered).toEqual(log.slice(2));
    expect(delivered.map((e) => e.seq)).toEqual(log.slice(2).map((_, i) => i + 2));
    expect(delivered.find((e) => e.seq === lostSeq)?.event).toMatchObject({ type: expect.stringMatching(/status_changed|said/) });
  });
});
