import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError, type DeliveryFailure } from '../../core/channel.js';
import { freePort } from '../../state/test-fixtures/redis-server.js';
import { TEST_CHANNEL_CAPABILITIES } from './connector.js';
import { TestChannelSender } from './sender.js';
import { verifyTestChannelSignature } from './signature.js';
import { TestChannelSendSchema, type TestChannelSend } from './wire.js';

const SECRET = 'a-test-channel-secret-of-32-characters!';
const address = { conversationId: 'conv-1', channel: 'test' as const, senderId: 'tc-user-1' };
const context = { seq: 3, author: 'bot' as const, idempotencyKey: 'conv-1:3' };

type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** The provider's side, answering each send as scripted; it records what it was sent and whether it was signed. */
describe('the test channel sender', () => {
  const received: Array<{ signed: boolean; body: TestChannelSend }> = [];
  let next: Reply = { status: 200, body: '{"id":"tc-out-1"}' };
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
        received.push({ signed: verifyTestChannelSignature(SECRET, headers, body, new Date()).ok, body: TestChannelSendSchema.parse(JSON.parse(body.toString())) });
        if (next === 'hang') return;
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(next.body ?? '');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sender = (outboundUrl = url) => new TestChannelSender({ secret: SECRET, outboundUrl, capabilities: TEST_CHANNEL_CAPABILITIES, timeoutMs: 300 });
  const failureOf = async (promise: Promise<unknown>): Promise<DeliveryFailure> => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    return (error as DeliveryError).failure;
  };

  test('a reply is one signed request with the idempotency key, and the provider’s id is the receipt', async () => {
    next = { status: 200, body: '{"id":"tc-out-1"}' };
    await expect(sender().send(address, { kind: 'text', text: 'Hello!' }, context)).resolves.toEqual({ providerMessageId: 'tc-out-1' });
    expect(received.at(-1)).toEqual({ signed: true, body: { to: 'tc-user-1', idempotencyKey: 'conv-1:3', parts: ['Hello!'] } });
  });

  test('a choice arrives as a numbered list, and a long text in parts that fit, split between words', async () => {
    next = { status: 201, body: '{"id":"tc-out-2"}' };
    await sender().send(address, { kind: 'choice', text: 'Which order?', options: [{ label: '100234', value: 'order:100234' }, { label: '100235', value: 'order:100235' }] }, context);
    expect(received.at(-1)?.body.parts).toEqual(['Which order?\n1. 100234\n2. 100235']);
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    await sender().send(address, { kind: 'text', text: long }, context);
    const parts = received.at(-1)!.body.parts;
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= TEST_CHANNEL_CAPABILITIES.maxTextLength)).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });

  test.each<[string, Reply, DeliveryFailure]>([
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '7' } }, { kind: 'rate_limited', retryAfterMs: 7000 }],
    ['429 without Retry-After', { status: 429 }, { kind: 'rate_limited', retryAfterMs: null }],
    ['503', { status: 503 }, { kind: 'unavailable' }],
    ['400 (a recipient it refuses)', { status: 400, body: '{"error":"unknown recipient"}' }, { kind: 'rejected', providerCode: '400' }],
    ['200 without an id', { status: 200, body: 'ok' }, { kind: 'unknown_outcome' }],
    ['no answer before the timeout', 'hang', { kind: 'unknown_outcome' }],
  ])('a provider answering %s is classified for the delivery worker', async (_name, reply, failure) => {
    next = reply;
    expect(await failureOf(sender().send(address, { kind: 'text', text: 'Hi' }, context))).toEqual(failure);
  });

  test('a provider that is not listening was certainly not sent to: unavailable, retried with backoff', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/messages`;
    expect(await failureOf(sender(closed).send(address, { kind: 'text', text: 'Hi' }, context))).toEqual({ kind: 'unavailable' });
  });

  test('it renders text only and may be retried with the same key (the provider delivers each key once)', () => {
    expect([...sender().renders]).toEqual(['text']);
    expect(sender().dedupesByIdempotencyKey).toBe(true);
  });
});
