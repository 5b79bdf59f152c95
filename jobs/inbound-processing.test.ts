import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChannelInbound } from '../core/inbound.js';
import type { InboundMessage } from '../core/message.js';
import type { InboundTurns, TurnOutcome } from '../core/turn-outcome.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { inboundProcessingJob } from './inbound-processing-job.js';
import { startInboundProcessing, type StartedInboundProcessing } from './inbound-processing.js';
import { JobQueue } from './queue.js';
import { eventually, silentLog } from './test-fixtures/delivery.js';

/** A turn that records what it was given and fails the messages it is told to, a number of times. */
class ScriptedTurns implements InboundTurns {
  readonly handled: InboundMessage[] = [];
  private readonly failures = new Map<string, number>();
  /** Turns running now and at most at once, per sender: one sender's turns never overlap. */
  private readonly running = new Map<string, number>();
  readonly mostAtOnce = new Map<string, number>();

  failTimes(providerMessageId: string, times: number): void {
    this.failures.set(providerMessageId, times);
  }

  async handle(message: InboundMessage): Promise<TurnOutcome> {
    const now = (this.running.get(message.senderId) ?? 0) + 1;
    this.running.set(message.senderId, now);
    this.mostAtOnce.set(message.senderId, Math.max(this.mostAtOnce.get(message.senderId) ?? 0, now));
    try {
      // Long enough for another worker to start a second turn of this sender, were it allowed to.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const left = this.failures.get(message.providerMessageId) ?? 0;
      if (left > 0) {
        this.failures.set(message.providerMessageId, left - 1);
        throw new Error('turn failed');
      }
      this.handled.push(message);
      return { kind: 'answered', conversationId: 'c', replies: [], userSeq: 0 };
    } finally {
      this.running.set(message.senderId, (this.running.get(message.senderId) ?? 1) - 1);
    }
  }

  of(senderId: string): string[] {
    return this.handled.filter((m) => m.senderId === senderId).map((m) => m.text);
  }
}

function inbound(senderId: string, text: string, providerMessageId = `SM${randomUUID()}`): ChannelInbound {
  return { channel: 'sms', providerMessageId, sender: { id: senderId }, content: { kind: 'text', text }, receivedAt: new Date().toISOString() };
}

describe.each(DATABASE_KINDS)('inbound processing on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let jobs: JobQueue;
  let processing: StartedInboundProcessing;
  const turns = new ScriptedTurns();
  const ours = new Set<string>();

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    jobs = new JobQueue({ database: handle, log: silentLog, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, stopTimeoutMs: 2000 });
    await jobs.start();
    processing = await startInboundProcessing({
      db: handle.db,
      jobs,
      turns,
      isOwnMessage: async (_channel, id) => ours.has(id),
      log: silentLog,
      policy: { maxAttempts: 3, retryDelaySeconds: 1, leaseSeconds: 30 },
      concurrency: 3,
    });
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.dispose();
  });

  const waitingRows = (id: string) => handle.db.selectFrom('inbound_messages').selectAll().where('provider_message_id', '=', id).execute();
  // A distinct sender per test: a random one collided once, and another test's "hello" joined the sequence.
  let senders = 0;
  const run = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const sender = () => `+1415${run}${String((senders += 1)).padStart(4, '0')}`;

  test('an accepted message gets its turn once, and its row is gone afterwards', async () => {
    const from = sender();
    const message = inbound(from, 'hello');
    expect(await processing.intake.accept([message])).toEqual([{ providerMessageId: message.providerMessageId, result: 'accepted' }]);
    await eventually(async () => turns.of(from), (seen) => seen.length === 1);
    expect(turns.handled.find((m) => m.providerMessageId === message.providerMessageId)).toMatchObject({ channel: 'sms', senderId: from, text: 'hello' });
    await eventually(() => waitingRows(message.providerMessageId), (rows) => rows.length === 0);
  });

  test('the provider retrying a message still waiting is acknowledged as a duplicate and queued once', async () => {
    const from = sender();
    const message = inbound(from, 'where is my order?');
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => processing.intake.accept([message])));
    expect(results.flat().filter((r) => r.result === 'accepted')).toHaveLength(1);
    expect(results.flat().filter((r) => r.result === 'duplicate')).toHaveLength(4);
    await eventually(async () => turns.of(from), (seen) => seen.length === 1);
  });

  test('one sender’s messages run one at a time, in the order they arrived, even with several workers', async () => {
    const from = sender();
    const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const text of texts) await processing.intake.accept([inbound(from, text)]);
    await eventually(async () => turns.of(from), (seen) => seen.length === texts.length);
    expect(turns.of(from)).toEqual(texts);
    expect(turns.mostAtOnce.get(from)).toBe(1);
  });

  test('a turn that fails is retried and its later messages wait for it; nothing is lost', async () => {
    const from = sender();
    const first = inbound(from, 'first');
    const second = inbound(from, 'second');
    turns.failTimes(first.providerMessageId, 2);
    await processing.intake.accept([first]);
    await processing.intake.accept([second]);
    await eventually(async () => turns.of(from), (seen) => seen.length === 2);
    expect(turns.of(from)).toEqual(['first', 'second']);
  });

  test('a message that fails on every attempt is set aside for operators, and the sender’s next one goes', async () => {
    const from = sender();
    const poison = inbound(from, 'poison');
    const next = inbound(from, 'after the poison');
    turns.failTimes(poison.providerMessageId, 100);
    await processing.intake.accept([poison]);
    await processing.intake.accept([next]);
    await eventually(async () => turns.of(from), (seen) => seen.length === 1);
    expect(turns.of(from)).toEqual(['after the poison']);
    expect(await processing.messages.setAside()).toContainEqual({ channel: 'sms', providerMessageId: poison.providerMessageId });
    expect((await waitingRows(poison.providerMessageId))[0]).toMatchObject({ attempts: 3, claimed_at: null });
  });

  test('the channel echoing our own message is dropped, never stored or given a turn', async () => {
    const from = sender();
    const echo = inbound(from, 'Your order has shipped', 'SM-ours-1');
    ours.add(echo.providerMessageId);
    expect(await processing.intake.accept([echo])).toEqual([{ providerMessageId: 'SM-ours-1', result: 'echo' }]);
    expect(await waitingRows('SM-ours-1')).toEqual([]);
    const control = inbound(from, 'a real message');
    await processing.intake.accept([control]);
    await eventually(async () => turns.of(from), (seen) => seen.length === 1);
    expect(turns.of(from)).toEqual(['a real message']);
  });

  test('the job carries only the message’s key, never its text or the sender', async () => {
    const from = sender();
    const message = inbound(from, 'my card 4111 1111 1111 1111');
    await processing.intake.accept([message]);
    const { rows } = await handle.executeSql(`select data from pgboss.job where name = 'inbound-processing' and singleton_key = $1`, [`sms:${message.providerMessageId}`]);
    expect(rows).toEqual([{ data: { channel: 'sms', providerMessageId: message.providerMessageId } }]);
    await eventually(async () => turns.of(from), (seen) => seen.length === 1);
  });

  test('a stored message that no longer parses is set aside, not retried forever', async () => {
    const from = sender();
    const id = `SM${randomUUID()}`;
    await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('inbound_messages').values({ channel: 'sms', provider_message_id: id, sender_id: from, message: JSON.stringify({ not: 'a message' }) }).execute();
    });
    await jobs.send(inboundProcessingJob({ leaseSeconds: 30, retryDelaySeconds: 1 }), { channel: 'sms' as const, providerMessageId: id });
    await eventually(() => processing.messages.setAside(), (keys) => keys.some((k) => k.providerMessageId === id));
    expect(turns.of(from)).toEqual([]);
  });
});
