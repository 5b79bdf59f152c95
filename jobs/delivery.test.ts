import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DeliveryFailure, DeliveryReport, OutboundStatus } from '../core/channel.js';
import { OutboundMessages } from '../db/outbound-messages.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { DEFAULT_DELIVERY_POLICY, retryDelayMs } from './delivery-policy.js';
import { startOutboundDelivery, type StartedOutboundDelivery } from './outbound-delivery.js';
import { outboundDeliveryJob } from './outbound-delivery-job.js';
import { JobQueue } from './queue.js';
import { eventually, ScriptedSender, silentLog, storedConversation } from './test-fixtures/delivery.js';

const LEASE_SECONDS = 2;
const unavailable: DeliveryFailure = { kind: 'unavailable' };
const unknownOutcome: DeliveryFailure = { kind: 'unknown_outcome' };

describe.each(DATABASE_KINDS)('outbound delivery on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let jobs: JobQueue;
  let delivery: StartedOutboundDelivery;
  /** A channel that cannot de-duplicate (SMS through a provider without idempotency keys). */
  const sms = new ScriptedSender('sms', false);
  /** A channel whose provider de-duplicates by the idempotency key. */
  const whatsapp = new ScriptedSender('whatsapp', true);

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    jobs = new JobQueue({ database: handle, log: silentLog, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, stopTimeoutMs: 2000 });
    await jobs.start();
    delivery = await startOutboundDelivery({
      db: handle.db,
      jobs,
      senders: new Map([
        ['sms', sms],
        ['whatsapp', whatsapp],
      ]),
      log: silentLog,
      policy: { baseDelayMs: 50, maxDelayMs: 200, leaseSeconds: LEASE_SECONDS, maxAttempts: 4 },
    });
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.dispose();
  });

  const row = (conversationId: string, seq = 1) => delivery.messages.find({ conversationId, seq });
  const settled = (conversationId: string, seq = 1) => eventually(() => row(conversationId, seq), (r) => r !== undefined && r.status !== 'queued');
  const idle = () => eventually(() => jobs.pending(outboundDeliveryJob(LEASE_SECONDS)), (n) => n === 0);

  test('a sender that answers 503 twice, then accepts: one sent message after three attempts, degraded to text', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'choice', text: 'Which order?', options: [{ label: 'VL-1001', value: 'VL-1001' }] }]);
    sms.script(conversationId, [unavailable, unavailable, 'ok']);
    await delivery.queue.enqueue(deliveries);

    const sent = await settled(conversationId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, last_error: null, provider_message_id: `sms-${conversationId}:1` });
    const calls = sms.callsFor(conversationId);
    expect(calls.map((c) => c.outcome)).toEqual([unavailable, unavailable, 'ok']);
    // Every attempt carries the same key, so a provider that de-duplicates delivers it once.
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`${conversationId}:1`]));
    expect(calls[0]?.message).toEqual({ kind: 'text', text: 'Which order?\n1. VL-1001' });
    // The provider's report finds it: one delivered message.
    expect(await delivery.messages.recordReport('sms', `sms-${conversationId}:1`, 'delivered')).toBe('updated');
    const rows = await handle.db.selectFrom('outbound_messages').select(['seq', 'status']).where('conversation_id', '=', conversationId).execute();
    expect(rows).toEqual([{ seq: 1, status: 'delivered' }]);
  });

  test('a sender that answers 429 with Retry-After is tried again no sooner, and sends once', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'Your order shipped.' }]);
    sms.script(conversationId, [{ kind: 'rate_limited', retryAfterMs: 1000 }, 'ok']);
    await delivery.queue.enqueue(deliveries);

    expect(await settled(conversationId)).toMatchObject({ status: 'sent', attempts: 2 });
    const [limited, accepted, ...more] = sms.callsFor(conversationId);
    expect(more).toEqual([]);
    expect(accepted!.outcome).toBe('ok');
    // The retry waits for the provider's Retry-After (scheduled on the database clock).
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(990);
  });

  test.each([
    ['a timeout after the request was written', unknownOutcome],
    ['an error the sender did not classify', 'throws' as const],
  ])('%s on a channel that cannot de-duplicate: failed as unknown_outcome, never sent again', async (_name, outcome) => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'Your refund is on its way.' }]);
    sms.script(conversationId, [outcome, 'ok']);
    await delivery.queue.enqueue(deliveries);

    expect(await settled(conversationId)).toMatchObject({ status: 'failed', last_error: 'unknown_outcome', attempts: 1, provider_message_id: null });
    await idle();
    expect(sms.callsFor(conversationId)).toHaveLength(1);
  });

  test('after a timeout, a channel that de-duplicates gets the same idempotency key again and delivers once', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'whatsapp', [{ kind: 'text', text: 'Your refund is on its way.' }]);
    whatsapp.script(conversationId, [unknownOutcome, 'ok']);
    await delivery.queue.enqueue(deliveries);

    expect(await settled(conversationId)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(whatsapp.callsFor(conversationId).map((c) => c.idempotencyKey)).toEqual([`${conversationId}:1`, `${conversationId}:1`]);
  });

  test.each([
    { channel: 'sms', status: 'failed', lastError: 'unknown_outcome', sends: 0 },
    { channel: 'whatsapp', status: 'sent', lastError: null, sends: 1 },
  ] as const)('a worker that died mid-send on $channel: the row ends $status, sent $sends more times', async ({ channel, status, lastError, sends }) => {
    const sender = channel === 'sms' ? sms : whatsapp;
    const { conversationId, deliveries } = await storedConversation(handle.db, channel, [{ kind: 'text', text: 'Here is your code.' }]);
    // What a worker leaves when it dies between claiming the row and recording the answer.
    const messages = new OutboundMessages(handle.db);
    await messages.insertQueued(handle.db, deliveries);
    expect(await messages.claim({ conversationId, seq: 1 }, 0, LEASE_SECONDS)).toBe(1);

    await delivery.queue.resumePending();
    expect(await settled(conversationId)).toMatchObject({ status, last_error: lastError });
    await idle();
    expect(sender.callsFor(conversationId)).toHaveLength(sends);
  });

  test('replies of one conversation reach the customer in seq order, even when the first is retried', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [
      { kind: 'text', text: 'one' },
      { kind: 'text', text: 'two' },
      { kind: 'text', text: 'three' },
    ]);
    sms.script(conversationId, [unavailable]);
    await delivery.queue.enqueue(deliveries);

    await settled(conversationId, 3);
    expect(sms.callsFor(conversationId).map((c) => [c.seq, c.outcome])).toEqual([
      [1, unavailable],
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
    ]);
  });

  test.each([
    { name: 'a rejection', failure: { kind: 'rejected', providerCode: '21211' } satisfies DeliveryFailure, reason: 'rejected', sends: 1 },
    { name: '503 on every attempt', failure: unavailable, reason: 'retries_exhausted', sends: 4 },
  ] as const)('$name ends failed ($reason) after $sends sends', async ({ failure, reason, sends }) => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'Hello' }]);
    sms.script(conversationId, [failure, failure, failure, failure, failure]);
    await delivery.queue.enqueue(deliveries);

    expect(await settled(conversationId)).toMatchObject({ status: 'failed', last_error: reason, attempts: sends });
    await idle();
    expect(sms.callsFor(conversationId)).toHaveLength(sends);
  });

  test('queuing the same reply twice sends it once', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'Once only' }]);
    await delivery.queue.enqueue(deliveries);
    await delivery.queue.enqueue(deliveries);
    await settled(conversationId);
    await idle();
    expect(sms.callsFor(conversationId)).toHaveLength(1);
  });

  test('the customer’s own message is never queued back to the channel, nor a seq that holds no reply', async () => {
    const { conversationId, address, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'A reply' }]);
    const echo = { address, seq: 0, author: 'bot' as const, message: { kind: 'text' as const, text: 'where is my order' } };
    const missing = { address, seq: 7, author: 'bot' as const, message: { kind: 'text' as const, text: 'never stored' } };
    for (const refused of [[echo], [missing], [...deliveries, echo]]) {
      await expect(delivery.queue.enqueue(refused)).rejects.toMatchObject({ code: 'SB_ERR_INTERNAL' });
    }
    // All or nothing: not even the valid reply beside the echo was stored.
    const rows = await handle.db.selectFrom('outbound_messages').select('seq').where('conversation_id', '=', conversationId).execute();
    expect(rows).toEqual([]);
    await idle();
    expect(sms.callsFor(conversationId)).toEqual([]);
  });

  describe('status reports, found by the provider’s id', () => {
    test('arriving out of order never move a message backwards', async () => {
      const { conversationId, deliveries } = await storedConversation(handle.db, 'sms', [{ kind: 'text', text: 'Tracking: VL-1' }]);
      await delivery.queue.enqueue(deliveries);
      const providerId = (await settled(conversationId))?.provider_message_id ?? '';
      expect(providerId).toBe(`sms-${conversationId}:1`);

      expect(await delivery.messages.recordReport('sms', providerId, 'read')).toBe('updated');
      expect(await delivery.messages.recordReport('sms', providerId, 'delivered')).toBe('unchanged');
      expect(await delivery.messages.recordReport('sms', providerId, 'failed')).toBe('unchanged');
      expect((await row(conversationId))?.status).toBe('read');
      // Another channel's id space, and an id nobody sent.
      expect(await delivery.messages.recordReport('whatsapp', providerId, 'delivered')).toBe('unknown');
      expect(await delivery.messages.recordReport('sms', 'SM-never-sent', 'delivered')).toBe('unknown');
      expect(await delivery.messages.isOwnMessage('sms', providerId)).toBe(true);
    });

    test.each<[OutboundStatus, DeliveryReport, OutboundStatus]>([
      ['sent', 'delivered', 'delivered'],
      ['sent', 'read', 'read'],
      ['sent', 'failed', 'failed'],
      ['delivered', 'read', 'read'],
      ['delivered', 'delivered', 'delivered'],
      ['delivered', 'failed', 'delivered'],
      ['read', 'delivered', 'read'],
      ['read', 'failed', 'read'],
      ['failed', 'delivered', 'failed'],
      ['queued', 'delivered', 'queued'],
    ])('%s + report %s → %s', async (from, report, to) => {
      const { conversationId, deliveries } = await storedConversation(handle.db, 'teams', [{ kind: 'text', text: 'Hi' }]);
      // No sender for this channel runs: the row is put in place by hand.
      await delivery.messages.insertQueued(handle.db, deliveries);
      const providerId = `teams-${conversationId}`;
      await handle.db.updateTable('outbound_messages').set({ status: from, provider_message_id: providerId }).where('conversation_id', '=', conversationId).execute();
      await delivery.messages.recordReport('teams', providerId, report);
      expect((await row(conversationId))?.status).toBe(to);
    });
  });

  test('the status column refuses a value outside the union', async () => {
    const { conversationId, deliveries } = await storedConversation(handle.db, 'teams', [{ kind: 'text', text: 'Hi' }]);
    await delivery.messages.insertQueued(handle.db, deliveries);
    await expect(sql`update outbound_messages set status = 'bounced' where conversation_id = ${conversationId}`.execute(handle.db)).rejects.toThrow(/outbound_messages_status_check/);
  });
});

describe('retry delays', () => {
  const policy = { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };

  test.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [6, 4000, 8000],
  ])('attempt %i backs off between %i and %i ms', (attempt, low, high) => {
    expect(retryDelayMs(policy, { kind: 'unavailable' }, attempt, () => 0)).toBe(low);
    expect(retryDelayMs(policy, { kind: 'unavailable' }, attempt, () => 1)).toBe(high);
  });

  test('a Retry-After is honoured as given, even beyond the backoff ceiling', () => {
    expect(retryDelayMs(policy, { kind: 'rate_limited', retryAfterMs: 30_000 }, 1)).toBe(30_000);
    expect(retryDelayMs(policy, { kind: 'rate_limited', retryAfterMs: null }, 1, () => 0)).toBe(500);
  });
});
