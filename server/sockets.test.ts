import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ChatClient, openWidgetSocket } from '../test/chat-client.js';
import { RawWebSocket, clientFrame, openDescriptors } from '../test/raw-websocket.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { parseOpenFilesLimit } from './descriptors.js';

const SOCKET_PATH = '/api/webchat/socket';
/** Every frame kind a client can get wrong, and the close code RFC 6455 (and ws) answer it with. */
const MALFORMED_FRAMES = [
  { name: 'text frame over the 64 KiB limit', code: 1009, frames: [clientFrame({ opcode: 0x1, payload: Buffer.alloc(64 * 1024 + 1, 0x61) })] },
  { name: 'header announcing 2^53 bytes', code: 1009, frames: [clientFrame({ opcode: 0x2, payload: Buffer.from('x'), declaredLength: 2 ** 53 - 1 })] },
  {
    name: 'message fragmented to more than 64 KiB in total',
    code: 1009,
    frames: [clientFrame({ opcode: 0x1, fin: false, payload: Buffer.alloc(40_000, 0x61) }), clientFrame({ opcode: 0x0, payload: Buffer.alloc(40_000, 0x61) })],
  },
  { name: 'text frame with invalid UTF-8', code: 1007, frames: [clientFrame({ opcode: 0x1, payload: Buffer.from([0x68, 0xff, 0xfe, 0x69]) })] },
  { name: 'unmasked client frame', code: 1002, frames: [clientFrame({ opcode: 0x1, payload: Buffer.from('hi'), masked: false })] },
  { name: 'reserved data opcode 0x3', code: 1002, frames: [clientFrame({ opcode: 0x3, payload: Buffer.from('hi') })] },
  { name: 'reserved control opcode 0xB', code: 1002, frames: [clientFrame({ opcode: 0xb, payload: Buffer.from('hi') })] },
  { name: 'RSV2 bit set', code: 1002, frames: [clientFrame({ opcode: 0x1, rsv: 0b010, payload: Buffer.from('hi') })] },
  { name: 'RSV1 bit set without negotiated compression', code: 1002, frames: [clientFrame({ opcode: 0x1, rsv: 0b100, payload: Buffer.from('hi') })] },
  { name: 'ping longer than 125 bytes', code: 1002, frames: [clientFrame({ opcode: 0x9, payload: Buffer.alloc(126) })] },
  { name: 'close frame with an invalid code', code: 1002, frames: [clientFrame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) })] },
];

/** Upgrades many sockets at once, as the attack did, and returns each answer's status and whether the server closed it. */
async function upgradeMany(url: string, target: string, count: number): Promise<Array<{ status: number | null; closedByServer: boolean }>> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = await RawWebSocket.connect(url);
      const { status, closedByServer } = await client.upgrade(target);
      client.destroy();
      return { status, closedByServer };
    }),
  );
}

/** Sets this process's descriptor limits (soft:hard, numbers or "unlimited") with util-linux prlimit. */
function setDescriptorLimits(soft: string, hard: string): void {
  execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${soft}:${hard}`], { stdio: 'ignore' });
}

describe.each(DEPLOYMENTS)('WebSockets (%s)', (deployment) => {
  // The server runs in this process: an error nobody handled is what would have ended it in production.
  let uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  beforeEach(() => {
    uncaught = [];
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
    expect(uncaught, 'errors no handler caught (each would have crashed the server)').toEqual([]);
  });

  describe('with the default limits', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(deployment, { WEBCHAT_SESSIONS_PER_HOUR: '1000' });
    });
    afterAll(async () => {
      await service?.dispose();
    });

    test.each(MALFORMED_FRAMES)('a $name closes that socket with $code; the process, another open socket and /healthz carry on', async ({ frames, code }) => {
      const bystander = await new ChatClient(service.url).start();
      const other = await openWidgetSocket(service.url, bystander.token);
      const attacker = await new ChatClient(service.url).start();
      const raw = await RawWebSocket.connect(service.url);
      expect((await raw.upgrade(`${SOCKET_PATH}?token=${encodeURIComponent(attacker.token)}`)).status).toBe(101);

      for (const frame of frames) raw.send(frame);
      expect(await raw.closeCode()).toBe(code);

      const sent = await bystander.say('hello');
      await expect.poll(() => other.pushed.filter((p) => p.type === 'message').map((p) => p.seq)).toEqual(sent.messages.map((m) => m.seq));
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      other.close();
    });

    test.each([
      { name: 'a path that is no socket endpoint', target: () => '/api/webchat/sockets', status: 404 },
      { name: 'an HTTP route', target: () => '/healthz', status: 404 },
      { name: 'the socket path with a forged token', target: () => `${SOCKET_PATH}?token=v1.AAAAAAAAAAAAAAAAAAAAAA.forged`, status: 401 },
    ])('300 upgrades to $name are each answered with $status and leave the descriptor count where it was', async ({ target, status }) => {
      // One round first, so whatever the server allocates once (pools, caches) is in the baseline.
      await upgradeMany(service.url, target(), 5);
      const baseline = openDescriptors();
      const answers = await upgradeMany(service.url, target(), 300);
      expect(answers.filter((a) => a.status !== status || !a.closedByServer)).toEqual([]);
      await expect.poll(() => openDescriptors(), { timeout: 10_000 }).toBeLessThanOrEqual(baseline + 10);
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    });

    test('/healthz and /readyz fail while descriptors are nearly exhausted, and recover when they come back', async () => {
      const [, soft = 'unlimited', hard = 'unlimited'] = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8')) ?? [];
      // A low soft limit keeps the number of descriptors this test must hold small; it is restored below.
      const limit = openDescriptors() + 400;
      setDescriptorLimits(String(limit), hard);
      const held: number[] = [];
      try {
        expect(parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'))).toBe(limit);
        // What leaked sockets did to the process: hold descriptors up to 92 % of the limit.
        while (openDescriptors() < Math.ceil(limit * 0.92)) held.push(openSync('/dev/null', 'r'));
        const health = await fetch(`${service.url}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.json()).toEqual({ status: 'unavailable', problem: 'descriptors-exhausted' });
        const ready = await fetch(`${service.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ checks: { connections: 'unavailable', database: 'ok', state: 'ok' } });
      } finally {
        for (const fd of held) closeSync(fd);
        setDescriptorLimits(soft, hard);
      }
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    });
  });

  describe('with SOCKETS_PER_IP=2 and SOCKETS_TOTAL=3 behind a trusted proxy', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(deployment, { SOCKETS_PER_IP: '2', SOCKETS_TOTAL: '3', TRUST_PROXY: 'loopback' });
    });
    afterAll(async () => {
      await service?.dispose();
    });

    test('a third socket from one address gets 429, another address still connects, and past the total everyone gets 503 until one closes', async () => {
      const { token } = await new ChatClient(service.url).start();
      const target = `${SOCKET_PATH}?token=${encodeURIComponent(token)}`;
      const open = async (ip: string) => {
        const client = await RawWebSocket.connect(service.url);
        return { client, answer: await client.upgrade(target, { headers: { 'X-Forwarded-For': ip } }) };
      };
      const a1 = await open('203.0.113.1');
      const a2 = await open('203.0.113.1');
      expect([a1.answer.status, a2.answer.status]).toEqual([101, 101]);

      const a3 = await open('203.0.113.1');
      expect(a3.answer).toMatchObject({ status: 429, closedByServer: true, headers: { connection: 'close', 'retry-after': expect.stringMatching(/^\d+$/) } });
      expect(JSON.parse(a3.answer.body)).toMatchObject({ error: { code: 'SB_ERR_RATE_LIMITED' } });

      const b1 = await open('198.51.100.7');
      expect(b1.answer.status).toBe(101);
      const c1 = await open('192.0.2.55');
      expect(c1.answer).toMatchObject({ status: 503, closedByServer: true, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
      expect(JSON.parse(c1.answer.body)).toMatchObject({ error: { code: 'SB_ERR_UNAVAILABLE' } });

      // A closed socket gives its slot back (the server sees the close a moment later, hence the poll).
      a1.client.destroy();
      let c2: Awaited<ReturnType<typeof open>> | undefined;
      await expect
        .poll(async () => {
          c2?.client.destroy();
          c2 = await open('192.0.2.55');
          return c2.answer.status;
        })
        .toBe(101);
      for (const s of [a2, b1, c2]) s?.client.destroy();
    });
  });
});
