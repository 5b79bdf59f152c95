import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChannelConnector, InboundQueue, InboundStatusReport, RawInboundRequest, VerifyResult } from '../core/channel.js';
import { SwitchboardError } from '../core/errors.js';
import type { ChannelInbound } from '../core/inbound.js';
import { errorHandler, notFound } from '../server/errors.js';
import { capturedLogger } from '../test/captured-log.js';
import { CHANNELS_MOUNT, ChannelRegistry } from './registry.js';

const TOKEN = 'let-me-in';

/** A connector that records what it was given; it accepts requests carrying `x-token: let-me-in`. */
function recordingConnector() {
  const seen: RawInboundRequest[] = [];
  const connector: ChannelConnector = {
    channel: 'sms',
    path: 'sms',
    maxBodyBytes: 1024,
    capabilities: { kinds: new Set(['text']), maxTextLength: 160, maxButtons: 0, markup: 'plain' },
    sender: { channel: 'sms', renders: new Set(['text']), dedupesByIdempotencyKey: false, send: async () => ({ providerMessageId: 'x' }) },
    verify: (request): VerifyResult => {
      if (request.headers['x-explode'] !== undefined) throw new Error('verifier bug');
      return request.headers['x-token'] === TOKEN ? { ok: true } : { ok: false, reason: 'bad_signature' };
    },
    parse: (request) => {
      seen.push(request);
      const text = request.body.toString('utf8');
      if (text.startsWith('status:')) return { kind: 'status_reports', reports: [{ providerMessageId: text.slice(7), report: 'delivered' }] };
      if (text === 'typing') return { kind: 'ignored', reason: 'typing' };
      if (text === '') return { kind: 'invalid', details: [{ path: 'body', message: 'is empty' }] };
      const message: ChannelInbound = { channel: 'sms', providerMessageId: `SM${text.length}`, sender: { id: '+14155550101' }, content: { kind: 'text', text }, receivedAt: request.receivedAt.toISOString() };
      return { kind: 'messages', messages: [message] };
    },
    acknowledge: (ack) => ({ status: 200, contentType: 'text/xml', body: `<Response kind="${ack.kind}"/>` }),
  };
  return { connector, seen };
}

describe('the channel registry', () => {
  const { connector, seen } = recordingConnector();
  const accepted: ChannelInbound[][] = [];
  const reports: InboundStatusReport[] = [];
  let outage = false;
  const inbound: InboundQueue = {
    accept: async (messages) => {
      if (outage) throw new SwitchboardError('SB_ERR_UNAVAILABLE', 'The database is unavailable', [], { retryAfterSeconds: 2 });
      accepted.push([...messages]);
      return messages.map((m) => ({ providerMessageId: m.providerMessageId, result: 'accepted' as const }));
    },
  };
  const captured = capturedLogger('info');
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const registry = new ChannelRegistry({ connectors: [connector] });
    const app = express();
    // As in server/app.ts: a JSON parser elsewhere must not touch the connectors' bodies.
    app.use('/api', express.json());
    app.use(CHANNELS_MOUNT, registry.router({ inbound, reports: { record: async (_channel, report) => void reports.push(report) }, publicBaseUrl: () => 'https://support.example.com', log: captured.log }));
    app.use(notFound);
    app.use(errorHandler(captured.log));
    server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (body: string | Buffer, headers: Record<string, string> = { 'x-token': TOKEN }, path = '/channels/sms?From=x') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  test('the connector sees the exact bytes, the public URL and the headers; the provider gets its own acknowledgement', async () => {
    const body = Buffer.from('Body=Gr%C3%BC%C3%9Fe++two  spaces&From=%2B1415\r\n');
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<Response kind="messages"/>');
    const request = seen.at(-1)!;
    expect(request.body.equals(body)).toBe(true);
    expect(request.publicUrl).toBe('https://support.example.com/channels/sms?From=x');
    expect(request.headers['x-token']).toBe(TOKEN);
    expect(accepted.at(-1)?.map((m) => m.content)).toEqual([{ kind: 'text', text: body.toString('utf8') }]);
  });

  test.each([
    ['without a signature', {}],
    ['with a wrong signature', { 'x-token': 'guess' }],
    ['when the verifier itself throws (fail closed)', { 'x-token': TOKEN, 'x-explode': '1' }],
  ])('a request %s is a 403, never parsed, stored or queued', async (_name, headers) => {
    const parsedBefore = seen.length;
    const acceptedBefore = accepted.length;
    const res = await post('Body=hello', headers);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'SB_ERR_WEBHOOK_SIGNATURE', message: 'Webhook signature validation failed' } });
    expect(body).not.toContain(TOKEN);
    expect(seen.length).toBe(parsedBefore);
    expect(accepted.length).toBe(acceptedBefore);
  });

  test('a body over the connector’s limit is refused with 413 before it is verified or parsed', async () => {
    const parsedBefore = seen.length;
    const res = await post(Buffer.alloc(4096, 'a'));
    expect(res.status).toBe(413);
    expect(seen.length).toBe(parsedBefore);
  });

  test('a verified body the connector cannot read is a 400 naming the field, and nothing is queued', async () => {
    const acceptedBefore = accepted.length;
    const res = await post('');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: [{ path: 'body', message: 'is empty' }] } });
    expect(accepted.length).toBe(acceptedBefore);
  });

  test('status reports go to delivery, ignored events are acknowledged without queuing anything', async () => {
    const acceptedBefore = accepted.length;
    expect(await (await post('status:SM123')).text()).toBe('<Response kind="status_reports"/>');
    expect(reports.at(-1)).toEqual({ providerMessageId: 'SM123', report: 'delivered' });
    expect(await (await post('typing')).text()).toBe('<Response kind="ignored"/>');
    expect(accepted.length).toBe(acceptedBefore);
  });

  test('when the messages cannot be stored the provider gets 503 with Retry-After, so it retries', async () => {
    outage = true;
    try {
      const res = await post('Body=hello');
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_UNAVAILABLE');
    } finally {
      outage = false;
    }
  });

  test('only POST is mounted, and only for registered connectors', async () => {
    expect((await fetch(`${url}/channels/sms`)).status).toBe(404);
    expect((await post('Body=hello', { 'x-token': TOKEN }, '/channels/whatsapp')).status).toBe(404);
  });

  test('refusals are logged with the channel and a reason code, never the request', () => {
    const log = captured.text();
    expect(log).toContain('"reason":"bad_signature"');
    expect(log).not.toContain('guess');
    expect(log).not.toContain('hello');
  });

  test('a channel or a path registered twice is a start-up error', () => {
    const { connector: again } = recordingConnector();
    expect(() => new ChannelRegistry({ connectors: [connector, again] })).toThrowError(/registered twice/);
    expect(() => new ChannelRegistry({ connectors: [{ ...again, channel: 'whatsapp', sender: { ...again.sender, channel: 'whatsapp' } }, connector] })).toThrowError(/path "sms" is taken/);
    expect(() => new ChannelRegistry({ connectors: [{ ...again, path: '../admin' }] })).toThrowError(/not lower-case/);
  });
});
