import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isSwitchboardError } from '../core/errors.js';
import type { StateBackend } from '../core/stores.js';
import { expectNoInterleaving, hold, until } from './test-fixtures/lock-helpers.js';

export { expectNoInterleaving, hold, until } from './test-fixtures/lock-helpers.js';

/**
 * The behaviour every state backend must show, run unchanged against each implementation.
 * `connect` opens another handle onto the same shared state each time it is called: another
 * server of the same deployment.
 */
export function describeStateBackendContract(name: string, connect: () => Promise<StateBackend>): void {
  describe(`${name} state backend contract`, () => {
    let state: StateBackend;
    const opened: StateBackend[] = [];
    const open = async (): Promise<StateBackend> => {
      const backend = await connect();
      opened.push(backend);
      return backend;
    };
    const key = (label: string): string => `${label}:${randomUUID()}`;

    beforeAll(async () => {
      state = await open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((backend) => backend.close()));
    });

    describe('locks', () => {
      test('50 concurrent turns of one conversation run one at a time, never interleaved', async () => {
        const conversation = key('conv');
        const log: string[] = [];
        let inside = 0;
        let mostInside = 0;
        const turns = Array.from({ length: 50 }, (_, i) =>
          state.locks.withLock(
            conversation,
            async () => {
              inside += 1;
              mostInside = Math.max(mostInside, inside);
              log.push(`start ${i}`);
              await sleep(i % 3);
              log.push(`end ${i}`);
              inside -= 1;
              return i;
            },
            { waitMs: 20_000 },
          ),
        );
        expect(await Promise.all(turns)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expectNoInterleaving(log, 50);
        expect(mostInside).toBe(1);
      });

      test('turns waiting on one server get a busy conversation in the order they arrived', async () => {
        const conversation = key('conv');
        const order: number[] = [];
        const holding = hold(state, conversation);
        await holding.entered;
        const waiting = Array.from({ length: 10 }, (_, i) => state.locks.withLock(conversation, async () => void order.push(i)));
        holding.let();
        await Promise.all(waiting);
        expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });

      test('two servers contending for one conversation never overlap', async () => {
        const other = await open();
        const conversation = key('conv');
        const log: string[] = [];
        const turn = (server: StateBackend, id: string) =>
          server.locks.withLock(
            conversation,
            async () => {
              log.push(`start ${id}`);
              await sleep(1);
              log.push(`end ${id}`);
            },
            { waitMs: 20_000 },
          );
        await Promise.all(Array.from({ length: 20 }, (_, i) => [turn(state, `a${i}`), turn(other, `b${i}`)]).flat());
        expectNoInterleaving(log, 40);
      });

      test('a busy conversation does not hold up a different one', async () => {
        const busy = key('conv');
        const holding = hold(state, busy);
        await holding.entered;
        try {
          await expect(state.locks.withLock(key('conv'), async () => 'ran', { waitMs: 1_000 })).resolves.toBe('ran');
        } finally {
          holding.let();
          await holding.done;
        }
      });

      test('waiting longer than waitMs fails with SB_ERR_LOCK_TIMEOUT and never runs the turn', async () => {
        const conversation = key('conv');
        const holding = hold(state, conversation);
        await holding.entered;
        let ran = false;
        try {
          const error = await state.locks
            .withLock(conversation, async () => {
              ran = true;
            }, { waitMs: 100 })
            .catch((caught: unknown) => caught);
          expect(isSwitchboardError(error) && error.code).toBe('SB_ERR_LOCK_TIMEOUT');
          expect(ran).toBe(false);
        } finally {
          holding.let();
          await holding.done;
        }
      });

      test('a lock held by a server that died is free again after its ttl', async () => {
        const dying = await open();
        const conversation = key('conv');
        const holding = hold(dying, conversation, { ttlMs: 600 });
        await holding.entered;
        await dying.close(); // stops its watchdog without releasing, as a crash would
        const immediately = await state.locks.withLock(conversation, async () => 'ran', { waitMs: 0 }).catch((caught: unknown) => caught);
        expect(isSwitchboardError(immediately) && immediately.code).toBe('SB_ERR_LOCK_TIMEOUT');
        await expect(state.locks.withLock(conversation, async () => 'ran', { waitMs: 5_000 })).resolves.toBe('ran');
        holding.let();
      });

      test('a turn that outlives the ttl keeps its lock while it runs', async () => {
        const conversation = key('conv');
        const holding = hold(state, conversation, { ttlMs: 200 });
        await holding.entered;
        await sleep(500);
        const meanwhile = await state.locks.withLock(conversation, async () => 'ran', { waitMs: 0 }).catch((caught: unknown) => caught);
        expect(isSwitchboardError(meanwhile) && meanwhile.code).toBe('SB_ERR_LOCK_TIMEOUT');
        holding.let();
        await holding.done;
        await expect(state.locks.withLock(conversation, async () => 'ran', { waitMs: 1_000 })).resolves.toBe('ran');
      });

      test('a turn that throws releases the lock and the caller gets its error', async () => {
        const conversation = key('conv');
        const failure = new Error('flow crashed');
        await expect(
          state.locks.withLock(conversation, async () => {
            throw failure;
          }),
        ).rejects.toBe(failure);
        await expect(state.locks.withLock(conversation, async () => 'next turn', { waitMs: 0 })).resolves.toBe('next turn');
      });
    });

    describe('idempotency', () => {
      test('of 20 concurrent deliveries of one message id exactly one is processed', async () => {
        const messageId = key('SM');
        const claims = await Promise.all(Array.from({ length: 20 }, () => state.idempotency.claim(messageId, 60_000)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await state.idempotency.claim(messageId, 60_000)).toBe(false);
      });

      test('a released message id can be claimed again by a retry', async () => {
        const messageId = key('SM');
        expect(await state.idempotency.claim(messageId, 60_000)).toBe(true);
        await state.idempotency.release(messageId);
        expect(await state.idempotency.claim(messageId, 60_000)).toBe(true);
        expect(await state.idempotency.claim(messageId, 60_000)).toBe(false);
      });

      test('a claim is forgotten after its ttl', async () => {
        const messageId = key('SM');
        expect(await state.idempotency.claim(messageId, 100)).toBe(true);
        expect(await state.idempotency.claim(messageId, 100)).toBe(false);
        await sleep(150);
        expect(await state.idempotency.claim(messageId, 100)).toBe(true);
      });
    });

    describe('snapshots', () => {
      test('writes succeed only against the version they read', async () => {
        const conversation = key('snap');
        expect(await state.snapshots.get(conversation)).toBeNull();
        expect(await state.snapshots.set(conversation, 'first', 0, 60_000)).toBe(1);
        expect(await state.snapshots.set(conversation, 'again from scratch', 0, 60_000)).toBeNull();
        expect(await state.snapshots.set(conversation, 'second', 1, 60_000)).toBe(2);
        expect(await state.snapshots.set(conversation, 'stale', 1, 60_000)).toBeNull();
        expect(await state.snapshots.get(conversation)).toEqual({ version: 2, value: 'second' });
      });

      test('of 10 concurrent writers of the same version exactly one wins and its value is kept', async () => {
        const conversation = key('snap');
        await state.snapshots.set(conversation, 'base', 0, 60_000);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => state.snapshots.set(conversation, `writer ${i}`, 1, 60_000)));
        const winners = results.flatMap((version, i) => (version === null ? [] : [i]));
        expect(winners).toHaveLength(1);
        expect(await state.snapshots.get(conversation)).toEqual({ version: 2, value: `writer ${winners[0]}` });
      });

      test('a snapshot disappears after its ttl and after delete', async () => {
        const expiring = key('snap');
        expect(await state.snapshots.set(expiring, 'short-lived', 0, 100)).toBe(1);
        await sleep(150);
        expect(await state.snapshots.get(expiring)).toBeNull();
        expect(await state.snapshots.set(expiring, 'recreated', 0, 60_000)).toBe(1);
        await state.snapshots.delete(expiring);
        expect(await state.snapshots.get(expiring)).toBeNull();
      });

      test('values survive byte for byte, including unicode and JSON', async () => {
        const conversation = key('snap');
        const value = JSON.stringify({ text: 'Grüße 👋 مرحبا', slots: { order: '100234' }, empty: '' });
        await state.snapshots.set(conversation, value, 0, 60_000);
        expect((await state.snapshots.get(conversation))?.value).toBe(value);
      });
    });

    describe('counters', () => {
      test('50 concurrent hits count exactly 50', async () => {
        const sender = key('flood');
        const counts = await Promise.all(Array.from({ length: 50 }, () => state.counters.hit(sender, 60_000)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await state.counters.peek(sender)).toBe(50);
      });

      test('the window starts at the first hit and later hits do not extend it', async () => {
        const sender = key('flood');
        expect(await state.counters.hit(sender, 200)).toBe(1);
        await sleep(120);
        await state.counters.hit(sender, 200);
        await sleep(120);
        expect(await state.counters.peek(sender)).toBe(0);
        expect(await state.counters.hit(sender, 200)).toBe(1);
      });

      test('reset starts the count over; an unknown key counts 0', async () => {
        const sender = key('flood');
        expect(await state.counters.peek(sender)).toBe(0);
        await state.counters.hit(sender, 60_000);
        await state.counters.hit(sender, 60_000);
        await state.counters.reset(sender);
        expect(await state.counters.peek(sender)).toBe(0);
        expect(await state.counters.hit(sender, 60_000)).toBe(1);
      });
    });

    describe('pubsub', () => {
      test('every subscriber on every server gets each message, in publish order', async () => {
        const other = await open();
        const topic = key('topic');
        const inboxes: string[][] = [[], [], []];
        await state.pubsub.subscribe(topic, (message) => inboxes[0]?.push(message));
        await state.pubsub.subscribe(topic, (message) => inboxes[1]?.push(message));
        await other.pubsub.subscribe(topic, (message) => inboxes[2]?.push(message));
        await other.pubsub.publish(topic, 'one');
        await state.pubsub.publish(topic, 'two');
        await until(() => inboxes.every((inbox) => inbox.length === 2));
        for (const inbox of inboxes) expect(inbox).toEqual(['one', 'two']);
      });

      test('after unsubscribe a handler gets nothing more, and other topics never reach it', async () => {
        const topic = key('topic');
        const gone: string[] = [];
        const staying: string[] = [];
        const unsubscribe = await state.pubsub.subscribe(topic, (message) => gone.push(message));
        await state.pubsub.subscribe(topic, (message) => staying.push(message));
        await state.pubsub.publish(topic, 'before');
        await until(() => gone.length === 1 && staying.length === 1);
        await unsubscribe();
        await state.pubsub.publish(key('topic'), 'elsewhere');
        await state.pubsub.publish(topic, 'after');
        await until(() => staying.length === 2);
        expect(staying).toEqual(['before', 'after']);
        expect(gone).toEqual(['before']);
      });

      test('a handler that throws does not stop delivery to the others', async () => {
        const topic = key('topic');
        const received: string[] = [];
        await state.pubsub.subscribe(topic, () => {
          throw new Error('handler bug');
        });
        await state.pubsub.subscribe(topic, (message) => received.push(message));
        await state.pubsub.publish(topic, 'still delivered');
        await until(() => received.length === 1);
        expect(received).toEqual(['still delivered']);
      });
    });

    test('ping answers while the backend is up', async () => {
      await expect(state.ping()).resolves.toBeUndefined();
    });
  });
}
