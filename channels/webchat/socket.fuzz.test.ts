import { randomBytes } from 'node:crypto';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, openWidgetSocket } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const SEED = 20_261_201;

/** A WebSocket frame with every header bit chosen by the attacker (RFC 6455 §5.2). */
const frame = fc
  .record({
    fin: fc.boolean(),
    rsv: fc.integer({ min: 0, max: 7 }),
    opcode: fc.integer({ min: 0, max: 15 }),
    masked: fc.boolean(),
    payload: fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(new Uint8Array(70_000)), fc.constant(Buffer.from([0xc3, 0x28, 0xff]))),
    lieAboutLength: fc.boolean(),
  })
  .map(({ fin, rsv, opcode, masked, payload, lieAboutLength }) => {
    const length = lieAboutLength ? 0x7fffffff : payload.length;
    const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
    const maskBit = masked ? 0x80 : 0;
    if (length < 126) head.push(maskBit | length);
    else if (length < 65_536) head.push(maskBit | 126, length >> 8, length & 0xff);
    else head.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
    const mask = masked ? [...randomBytes(4)] : [];
    const body = Buffer.from(payload.map((b, i) => (masked ? b ^ (mask[i % 4] as number) : b)));
    return Buffer.concat([Buffer.from(head), Buffer.from(mask), body]);
  });

const handshakeHeaders = fc.record({
  path: fc.constantFrom('/api/webchat/socket', '/api/webchat/socket?token=', '/api/webchat/socket?token=v1.a.b.c', '/nowhere', '/%ff', '/api/webchat/socket/../socket', '/' + 'a'.repeat(9000)),
  version: fc.constantFrom('13', '8', '', 'abc'),
  key: fc.constantFrom(randomBytes(16).toString('base64'), '', 'not-base64!', 'x'.repeat(2000)),
  upgrade: fc.constantFrom('websocket', 'WebSocket', 'h2c', ''),
});

/** Resolves when the server has closed the connection (or after `ms`, with false). */
function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function rawHandshake(baseUrl: string, request: string): Promise<{ socket: net.Socket; head: string }> {
  const url = new URL(baseUrl);
  const socket = net.connect({ host: url.hostname, port: Number(url.port) });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(request);
  const head = await new Promise<string>((resolve) => {
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(received));
  });
  return { socket, head };
}

describe.each(DEPLOYMENTS)('the widget socket under fuzzing (%s)', (deployment) => {
  let service: TestService;
  let token = '';
  let sentinel: Awaited<ReturnType<typeof openWidgetSocket>>;
  let sentinelClosed = false;
  beforeAll(async () => {
    service = await startTestService(deployment, { SOCKETS_PER_IP: '1000' });
    const client = await new ChatClient(service.url).start();
    token = client.token;
    sentinel = await openWidgetSocket(service.url, (await new ChatClient(service.url).start()).token);
    sentinel.onClose(() => {
      sentinelClosed = true;
    });
  });
  afterAll(async () => {
    sentinel?.close();
    await service?.dispose();
  });

  test('random frames after a valid handshake close that socket only; the server and other sockets stay up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 3 }), async (frames) => {
        const key = randomBytes(16).toString('base64');
        const { socket, head } = await rawHandshake(
          service.url,
          `GET /api/webchat/socket?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
        expect(head).toMatch(/^HTTP\/1\.1 101 /);
        for (const f of frames) socket.write(f);
        socket.end();
        await closedWithin(socket, 2000);
        socket.destroy();
        expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
        expect(sentinelClosed).toBe(false);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
  });

  test('random handshakes get an HTTP answer or an upgrade, never a hang or a crash', async () => {
    await fc.assert(
      fc.asyncProperty(handshakeHeaders, async ({ path, version, key, upgrade }) => {
        const { socket, head } = await rawHandshake(
          service.url,
          `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: ${upgrade}\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`,
        );
        expect(head).toMatch(/^HTTP\/1\.1 \d{3} /);
        const status = Number(head.slice(9, 12));
        expect(status).toBeLessThan(500);
        // A refused upgrade is answered and closed; without an Upgrade header it is plain HTTP (keep-alive).
        if (status !== 101 && upgrade !== '') expect(await closedWithin(socket, 4000)).toBe(true);
        socket.destroy();
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(sentinelClosed).toBe(false);
  });
});
