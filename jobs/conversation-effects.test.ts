import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DevOutbox } from '../channels/outbox/dev-outbox.js';
import type { ChannelSender } from '../core/channel.js';
import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationEffect } from '../core/conversation-writes.js';
import type { ChannelName } from '../core/message.js';
import type { Notification, NotificationReceipt, Notifier, NotifyOptions } from '../core/notifier.js';
import { ConversationEffects } from '../db/conversation-effects.js';
import type { ConversationProjection } from '../db/conversation-projection.js';
import { ConversationRepository } from '../db/conversations.js';
import { EventWriter, type ConversationCommit } from '../db/event-writer.js';
import { OutboxMessages } from '../db/outbox-messages.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { startConversationEffects, type StartedConversationEffects } from './conversation-effects.js';
import { startOutboundDelivery } from './outbound-delivery.js';
import { JobQueue } from './queue.js';
import { eventually, ScriptedSender, silentLog } from './test-fixtures/delivery.js';

const at = '2030-01-01T00:00:00.000Z';
const code = (to: string, n: string): Notification => ({ transport: 'email', to, subject: 'Your code', body: `Your code is ${n}`, devLogLine: `verification code ${n}` });

/** The outbox behind a transport that can be down for a few sends (an SMTP server restarting). */
class FlakyTransport implements Notifier {
  private failures = 0;
  constructor(private readonly outbox: DevOutbox) {}
  failNext(times: number): void {
    this.failures = times;
  }
  async send(notification: Notification, options?: NotifyOptions): Promise<NotificationReceipt> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }
    return this.outbox.send(notification, options);
  }
}

describe.each(DATABASE_KINDS)('effects of a conversation change on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let jobs: JobQueue;
  let repo: ConversationRepository;
  let outboxMessages: OutboxMessages;
  let transport: FlakyTransport;
  let started: StartedConversationEffects;
  let writer: EventWriter;
  const sms = new ScriptedSender('sms', false);

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    repo = new ConversationRepository(handle.db);
    outboxMessages = new OutboxMessages(handle.db);
    transport = new FlakyTransport(new DevOutbox(outboxMessages));
    jobs = new JobQueue({ database: handle, log: silentLog, schema: `pgboss_fx_${randomUUID().slice(0, 8)}`, pollingIntervalSeconds: 0.5 });
    await jobs.start();
    const senders = new Map<ChannelName, ChannelSender>([['sms', sms]]);
    const outbound = await startOutboundDelivery({ db: handle.db, jobs, senders, log: silentLog });
    started = await startConversationEffects({ db: handle.db, jobs, outbound: outbound.queue, notifier: transport, senders, log: silentLog, policy: { leaseSeconds: 2, retryDelaySeconds: 1 } });
    writer = new EventWriter(handle.db, started.recorder);
  });
  afterAll(async () => {
    await jobs?.stop();
    await handle?.dispose();
  });

  async function conversation(): Promise<string> {
    const contact = await repo.resolveContact('sms', `+1555${Math.floor(Math.random() * 1e7)}`);
    return (await repo.openConversation(contact.contactId, 'sms')).id;
  }

  function change(conversationId: string, events: ConversationEvent[], effects: ConversationEffect[]): ConversationCommit {
    const projection: ConversationProjection = {
      status: 'bot',
      assigneeId: null,
      team: null,
      priority: 0,
      issueType: null,
      lastSeq: events.length - 1,
      replyTo: { channel: 'sms', senderId: '+15550000000' },
      waitingSince: null,
    };
    return { conversationId, firstSeq: 0, events, projection, effects };
  }

  const outboxFor = async (to: string) => (await outboxMessages.latest(500)).filter((m) => m.recipient === to);

  test('a code decided by a change is sent once after the commit, and its reply is delivered on the channel', async () => {
    const id = await conversation();
    const to = `ada+${randomUUID()}@example.com`;
    const reply: ConversationEvent = { at, type: 'said', author: 'bot', message: { kind: 'text', text: "I've sent you a code" } };
    await writer.commit(
      change(id, [reply], [
        { kind: 'deliver', delivery: { address: { conversationId: id, channel: 'sms', senderId: '+15550000000' }, seq: 0, author: 'bot', message: reply.message } },
        { kind: 'notify', notification: code(to, '123456') },
      ]),
    );
    const sent = await eventually(() => outboxFor(to), (rows) => rows.length > 0);
    expect(sent.map((m) => m.body)).toEqual(['Your code is 123456']);
    await eventually(async () => sms.callsFor(id).length, (n) => n === 1);
    const row = await eventually(
      () => handle.db.selectFrom('conversation_effects').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow(),
      (r) => r.status !== 'pending',
    );
    expect(row).toMatchObject({ status: 'done', attempts: 1, last_error: null });
  });

  const caseFor = (conversationId: string, customerId: string): ConversationEffect => ({
    kind: 'open_case',
    case: { id: `CASE-${randomUUID().slice(0, 8).toUpperCase()}`, customerId, conversationId, kind: 'repair', summary: 'camera offline after steps', details: { stepsTried: 3 } },
  });

  async function customer(): Promise<string> {
    const id = `C-${randomUUID()}`;
    await handle.db.insertInto('customers').values({ id, account_id: `A${Math.floor(Math.random() * 1e6)}`, name: 'Ada', email: `${id}@example.com`, phone: null, plan: 'standard', preferred_channel: 'email', vip: false }).execute();
    return id;
  }

  test('a case opened by a change is stored by its commit, with the id its reply named', async () => {
    const id = await conversation();
    const opened = caseFor(id, await customer());
    await writer.commit(change(id, [{ at, type: 'slot_set', name: 'case_id', value: 'x' }], [opened]));
    const rows = await handle.db.selectFrom('cases').selectAll().where('conversation_id', '=', id).execute();
    expect(rows.map((r) => [r.id, r.status, r.kind])).toEqual([[opened.kind === 'open_case' ? opened.case.id : '', 'open', 'repair']]);
  });

  test('a change that does not commit leaves no effect: no case, and nothing is ever sent', async () => {
    const id = await conversation();
    const to = `grace+${randomUUID()}@example.com`;
    const said: ConversationEvent = { at, type: 'said', author: 'bot', message: { kind: 'text', text: 'first' } };
    await writer.commit(change(id, [said], []));
    // The same seq again, as a writer behind the log would write it: the commit is refused.
    await expect(writer.commit(change(id, [said], [{ kind: 'notify', notification: code(to, '654321') }, caseFor(id, await customer())]))).rejects.toThrow();
    expect(await handle.db.selectFrom('conversation_effects').selectAll().where('conversation_id', '=', id).execute()).toEqual([]);
    expect(await handle.db.selectFrom('cases').selectAll().where('conversation_id', '=', id).execute()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await outboxFor(to)).toEqual([]);
  });

  test('while the transport is down the effect keeps its place and is sent once when it is back', async () => {
    transport.failNext(2);
    const id = await conversation();
    const to = `linus+${randomUUID()}@example.com`;
    await writer.commit(change(id, [{ at, type: 'slot_set', name: 'x', value: '1' }], [{ kind: 'notify', notification: code(to, '111222') }]));
    const row = await eventually(
      () => handle.db.selectFrom('conversation_effects').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow(),
      (r) => r.status !== 'pending',
      60_000,
    );
    expect(row.status).toBe('done');
    expect(row.attempts).toBe(3);
    expect(await outboxFor(to)).toHaveLength(1);
  });

  test('an effect whose worker died after sending is run again with the same key, and the outbox keeps one copy', async () => {
    const id = await conversation();
    const to = `barbara+${randomUUID()}@example.com`;
    const effects = new ConversationEffects(handle.db);
    // What a worker that died leaves: the row claimed, the notification already handed to the transport.
    await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('conversation_events').values({ conversation_id: id, seq: 0, type: 'slot_set', provider_message_id: null, payload: JSON.stringify({ at, type: 'slot_set', name: 'x', value: '1' }) }).execute();
      await effects.insert(trx, [{ conversationId: id, seq: 0, idx: 0, effect: { kind: 'notify', notification: code(to, '999000') } }]);
    });
    expect(await effects.claim({ conversationId: id, seq: 0, idx: 0 }, 0, 2)).toBe(1);
    await new DevOutbox(outboxMessages).send(code(to, '999000'), { effectKey: `${id}:0:0` });

    // Its lease runs out; the next worker takes the effect over.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await started.worker.drain(id);
    const row = await handle.db.selectFrom('conversation_effects').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect(await outboxFor(to)).toHaveLength(1);
  });

  test("a delivery that is not a reply of its own change is refused, and nothing of the change is stored", async () => {
    const id = await conversation();
    const customer: ConversationEvent = { at, type: 'user_said', channel: 'sms', providerMessageId: `in-${randomUUID()}`, text: 'hi' };
    const echo: ConversationEffect = { kind: 'deliver', delivery: { address: { conversationId: id, channel: 'sms', senderId: '+15550000000' }, seq: 0, author: 'bot', message: { kind: 'text', text: 'hi' } } };
    await expect(writer.commit(change(id, [customer], [echo]))).rejects.toThrow(/not a reply/i);
    expect(await repo.loadEvents(id)).toEqual([]);
    expect(await handle.db.selectFrom('outbound_messages').selectAll().where('conversation_id', '=', id).execute()).toEqual([]);
  });
});
