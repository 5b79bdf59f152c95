import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conversationLockKey } from '../../bots/conversation-writer.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';
import { eventually, messageWebhook, postTestWebhook, TestChannelCustomer, TestChannelProvider, type Signing } from '../../test/test-channel-provider.js';

describe.each(DEPLOYMENTS)('the test channel end to end (%s)', (deployment) => {
  let provider: TestChannelProvider;
  let service: TestService;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService(deployment, provider.env());
  });
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  const db = () => service.database.db;
  const customer = () => new TestChannelCustomer(service, provider);
  const userSaid = (providerMessageId: string) =>
    db().selectFrom('conversation_events').select(['conversation_id', 'seq']).where('type', '=', 'user_said').where('provider_message_id', '=', providerMessageId).execute();
  const waiting = (providerMessageId: string) => db().selectFrom('inbound_messages').selectAll().where('channel', '=', 'test').where('provider_message_id', '=', providerMessageId).execute();
  const jobsFor = async (providerMessageId: string) => {
    const { rows } = await service.database.executeSql(`select count(*)::int as n from pgboss.job where name = 'inbound-processing' and singleton_key = $1`, [`test:${providerMessageId}`]);
    return (rows[0] as { n: number }).n;
  };
  const outboundRows = (conversationId: string) => db().selectFrom('outbound_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();

  test('a signed message is acknowledged, answered from the queue, and the reply is delivered through the sender with a receipt', async () => {
    const ada = customer();
    const id = `tc-in-${randomUUID()}`;
    const turn = await ada.send({ type: 'text', text: 'hello' }, id);
    expect(turn.replies.length).toBeGreaterThan(0);
    expect(await userSaid(id)).toEqual([{ conversation_id: turn.conversationId, seq: turn.userSeq }]);
    expect(await waiting(id)).toEqual([]);
    const rows = await eventually(() => outboundRows(turn.conversationId), (found) => found.length === turn.replies.length && found.every((r) => r.status === 'sent'));
    const delivered = provider.to(ada.id);
    expect(rows.map((r) => [r.channel, r.identity, r.provider_message_id])).toEqual(delivered.map((d) => ['test', ada.id, d.id]));
    expect(delivered.map((d) => d.request.idempotencyKey)).toEqual(rows.map((r) => `${turn.conversationId}:${r.seq}`));
    // Each sent once, at the first attempt, and signed: the provider refused nothing.
    expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
    expect(provider.refusedSends).toBe(0);
  });

  test.each<[Signing]>([['unsigned'], ['forged'], ['wrong-secret'], ['stale'], ['altered-body']])(
    'a %s webhook is refused with 403 SB_ERR_WEBHOOK_SIGNATURE, and nothing is stored, queued or answered',
    async (signing) => {
      const sender = `tc-intruder-${randomUUID()}`;
      const webhook = messageWebhook(sender, { type: 'text', text: 'where is my order 100234?' });
      const res = await postTestWebhook(service.url, provider.secret, webhook, signing);
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: { code: 'SB_ERR_WEBHOOK_SIGNATURE', message: 'Webhook signature validation failed' } });
      expect(body).not.toMatch(/[0-9a-f]{64}/);
      expect(body).not.toContain(provider.secret);
      // Nothing of the request got past the signature check: no waiting message, no job, no contact, no transcript.
      expect(await waiting(webhook.id)).toEqual([]);
      expect(await jobsFor(webhook.id)).toBe(0);
      expect(await db().selectFrom('contact_identities').selectAll().where('channel', '=', 'test').where('sender_id', '=', sender).execute()).toEqual([]);
      expect(await userSaid(webhook.id)).toEqual([]);
      expect(provider.to(sender)).toEqual([]);
    },
  );

  test('the same provider message id posted 5 times at once: every post acknowledged, one stored message, one reply', async () => {
    const grace = customer();
    const webhook = messageWebhook(grace.id, { type: 'text', text: 'hello' });
    const responses = await Promise.all(Array.from({ length: 5 }, () => postTestWebhook(service.url, provider.secret, webhook)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const results = await Promise.all(responses.map(async (r) => ((await r.json()) as { received: Array<{ id: string; result: string }> }).received));
    expect(results.flat().every((r) => r.id === webhook.id && (r.result === 'accepted' || r.result === 'duplicate'))).toBe(true);
    expect(results.flat().filter((r) => r.result === 'accepted').length).toBeGreaterThanOrEqual(1);

    const turn = await grace.turnOf(webhook.id);
    expect(await userSaid(webhook.id)).toHaveLength(1);
    const rows = await eventually(() => outboundRows(turn.conversationId), (found) => found.length > 0 && found.every((r) => r.status === 'sent'));
    // One turn's replies, each delivered once: no second "hello" answered.
    const said = await db().selectFrom('conversation_events').select('seq').where('conversation_id', '=', turn.conversationId).where('type', '=', 'said').execute();
    expect(rows).toHaveLength(said.length);
    expect(provider.to(grace.id).map((d) => d.request.idempotencyKey)).toEqual(rows.map((r) => `${turn.conversationId}:${r.seq}`));
    expect(await db().selectFrom('conversations').select('id').where('id', '=', turn.conversationId).execute()).toHaveLength(1);
  });

  test('the provider is acknowledged before the turn runs: a busy conversation does not hold up the 200', async () => {
    const ada = customer();
    const first = await ada.say('hello');
    const webhook = messageWebhook(ada.id, { type: 'text', text: 'where is my order?' });
    // While every writer of the conversation waits for this lock, no turn can store anything.
    await service.state.locks.withLock(conversationLockKey(first.conversationId), async () => {
      const res = await postTestWebhook(service.url, provider.secret, webhook);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: [{ id: webhook.id, result: 'accepted' }] });
      // Acknowledged: durable and queued, not yet processed.
      expect(await waiting(webhook.id)).toHaveLength(1);
      expect(await jobsFor(webhook.id)).toBe(1);
      expect(await userSaid(webhook.id)).toEqual([]);
    });
    const turn = await ada.turnOf(webhook.id);
    expect(turn.conversationId).toBe(first.conversationId);
    expect(turn.text).toMatch(/order number/i);
  });

  test('one customer’s messages are answered in the order they were sent', async () => {
    const ada = customer();
    const ids = ['hello', 'where is my order?', 'thanks'].map(() => `tc-in-${randomUUID()}`);
    const texts = ['hello', 'where is my order?', 'thanks'];
    for (const [i, id] of ids.entries()) {
      expect((await postTestWebhook(service.url, provider.secret, messageWebhook(ada.id, { type: 'text', text: texts[i]! }, id))).status).toBe(200);
    }
    for (const id of ids) await ada.turnOf(id);
    const stored = await Promise.all(ids.map(async (id) => (await userSaid(id))[0]!.seq));
    expect([...stored].sort((a, b) => a - b)).toEqual(stored);
  });

  test('a pressed button, a photo and a location arrive normalized and are stored as the customer’s message', async () => {
    const ada = customer();
    await ada.send({ type: 'button', payload: 'intent:human_agent', title: 'Talk to a person' }, 'tc-in-button-' + randomUUID().slice(0, 8));
    const photo = await ada.send({ type: 'media', mediaType: 'image', mimeType: 'image/jpeg', url: 'https://media.example.com/p/1.jpg', caption: 'the broken hinge' });
    const place = await ada.send({ type: 'location', latitude: 52.52, longitude: 13.405, name: 'Voltline Store Berlin' });
    const events = await db().selectFrom('conversation_events').select(['type', 'payload']).where('conversation_id', '=', photo.conversationId).where('type', '=', 'user_said').orderBy('seq').execute();
    const said = events.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as { text: string; payload?: string; channel: string });
    expect(said.map((s) => s.channel)).toEqual(['test', 'test', 'test']);
    expect(said[0]).toMatchObject({ text: 'Talk to a person', payload: 'intent:human_agent' });
    expect(said[1]?.text).toBe('the broken hinge\nhttps://media.example.com/p/1.jpg');
    expect(said[2]?.text).toBe('Voltline Store Berlin\n52.52,13.405');
    expect(place.conversationId).toBe(photo.conversationId);
  });

  test('a status report moves the reply forwards, found by the provider’s id', async () => {
    const ada = customer();
    const turn = await ada.say('hello');
    const [first] = await eventually(() => outboundRows(turn.conversationId), (rows) => rows.length > 0 && rows.every((r) => r.status === 'sent'));
    const res = await postTestWebhook(service.url, provider.secret, { event: 'status', messageId: first!.provider_message_id!, status: 'delivered' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ statuses: 1 });
    expect((await outboundRows(turn.conversationId))[0]?.status).toBe('delivered');
  });

  test('the provider echoing our own message back is acknowledged and never stored or answered', async () => {
    const ada = customer();
    await ada.say('hello');
    const ours = provider.to(ada.id)[0]!;
    const echo = messageWebhook(ada.id, { type: 'text', text: ours.request.parts.join('\n').slice(0, 1600) }, ours.id);
    const res = await postTestWebhook(service.url, provider.secret, echo);
    expect(await res.json()).toEqual({ received: [{ id: ours.id, result: 'echo' }] });
    expect(await waiting(ours.id)).toEqual([]);
    expect(await userSaid(ours.id)).toEqual([]);
  });

  test.each([
    ['not JSON', '{"event":', 'body'],
    ['a message without a sender', { event: 'message', id: 'tc-x', message: { type: 'text', text: 'hi' } }, 'from'],
    ['a photo whose URL is not http(s)', { event: 'message', id: 'tc-y', from: { id: 'u' }, message: { type: 'media', mediaType: 'image', mimeType: 'image/png', url: 'file:///etc/passwd' } }, 'content.url'],
  ])('a signed body that is %s is a 400 naming the field, and nothing is stored', async (_name, body, field) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const { signTestChannelRequest } = await import('./signature.js');
    const res = await fetch(`${service.url}/channels/test`, { method: 'POST', headers: { 'content-type': 'application/json', ...signTestChannelRequest(provider.secret, raw, new Date()) }, body: raw });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { code: string; details: Array<{ path: string }> } }).error;
    expect(error.code).toBe('SB_ERR_VALIDATION');
    expect(error.details.map((d) => d.path)).toContain(field);
    const { rows } = await service.database.executeSql(`select count(*)::int as n from inbound_messages where provider_message_id in ('tc-x', 'tc-y')`, []);
    expect(rows).toEqual([{ n: 0 }]);
  });

  test('an event type the connector does not know is acknowledged, so the provider does not retry it', async () => {
    const res = await postTestWebhook(service.url, provider.secret, { event: 'typing', from: { id: 'u' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ignored: true });
  });

  test('nothing waits in the inbound table once the turns ran', async () => {
    await eventually(async () => (await sql<{ n: number }>`select count(*)::int as n from inbound_messages`.execute(db())).rows[0]!.n, (n) => n === 0);
  });
});

describe('without TEST_CHANNEL_SECRET', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('embedded');
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('/channels/test is not mounted: 404, and a signed-looking request stores nothing', async () => {
    const webhook = messageWebhook('tc-someone', { type: 'text', text: 'hello' });
    const res = await postTestWebhook(service.url, 'a-secret-the-service-does-not-have-000', webhook);
    expect(res.status).toBe(404);
    expect(await service.database.db.selectFrom('inbound_messages').selectAll().execute()).toEqual([]);
  });
});
