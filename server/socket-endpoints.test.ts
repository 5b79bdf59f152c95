import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { RawWebSocket, clientFrame } from '../test/raw-websocket.js';
import { createLogger } from './logger.js';
import { MAX_UPGRADE_URL_LENGTH, SocketEndpoints } from './socket-endpoints.js';

/** An endpoint as the agent console will register one: its own path and its own authentication. */
function startServer(options: { heartbeatMs?: number } = {}) {
  const sockets = new SocketEndpoints({ log: createLogger('silent'), trust: () => false, limits: { perIp: 5, total: 10 }, ...options });
  let releaseSlow: (identity: string | null) => void = () => undefined;
  const slowStarted = new Promise<void>((started) => {
    sockets.register<string>({
      path: '/api/agent/socket',
      authenticate: ({ url }) => {
        const token = url.searchParams.get('token');
        if (token === 'boom') throw new Error('database down');
        if (token === 'slow') {
          started();
          return new Promise<string | null>((resolve) => (releaseSlow = resolve));
        }
        return token === 'agent-1' ? 'agent-1' : null;
      },
      connected: (ws, agent) => ws.send(`hello ${agent}`),
    });
  });
  const server = http.createServer((_req, res) => res.end('ok'));
  sockets.attach(server);
  server.listen(0, '127.0.0.1');
  return {
    sockets,
    slowStarted,
    releaseSlow: (identity: string | null) => releaseSlow(identity),
    ready: once(server, 'listening').then(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    close: async () => {
      await sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function openAgentSocket(url: string): Promise<{ ws: WebSocket; greeting: string }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/agent/socket?token=agent-1`);
  const [data] = (await once(ws, 'message')) as [Buffer];
  return { ws, greeting: data.toString() };
}

describe('socket endpoints (the one owner of upgrade requests)', () => {
  let running: ReturnType<typeof startServer> | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  test.each([
    { name: 'an unknown path', target: '/api/nothing-here', status: 404, code: 'SB_ERR_NOT_FOUND' },
    { name: 'an HTTP route', target: '/healthz', status: 404, code: 'SB_ERR_NOT_FOUND' },
    { name: 'a bad token', target: '/api/agent/socket?token=forged', status: 401, code: 'SB_ERR_UNAUTHENTICATED' },
    { name: 'no token', target: '/api/agent/socket', status: 401, code: 'SB_ERR_UNAUTHENTICATED' },
    { name: 'a URL longer than any of ours', target: `/api/agent/socket?token=${'a'.repeat(MAX_UPGRADE_URL_LENGTH)}`, status: 400, code: 'SB_ERR_VALIDATION' },
    { name: 'an absolute-form URL', target: 'http://[bad/api/agent/socket', status: 400, code: 'SB_ERR_VALIDATION' },
    { name: 'an authentication that fails', target: '/api/agent/socket?token=boom', status: 503, code: 'SB_ERR_UNAVAILABLE' },
  ])('$name is refused with $status and a closed connection', async ({ target, status, code }) => {
    running = startServer();
    const url = await running.ready;
    const client = await RawWebSocket.connect(url);
    const answer = await client.upgrade(target);
    expect(answer.status).toBe(status);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code } });
    expect(answer.closedByServer).toBe(true);
    expect(running.sockets.held()).toBe(0);
    // The authentication error's text never reaches the client.
    expect(answer.body).not.toContain('database down');
  });

  test('a client that resets during an asynchronous authentication leaves no slot held and the server up', async () => {
    running = startServer();
    const url = await running.ready;
    const client = await RawWebSocket.connect(url);
    void client.upgrade('/api/agent/socket?token=slow');
    await running.slowStarted;
    expect(running.sockets.held()).toBe(1);
    client.socket.resetAndDestroy();
    await once(client.socket, 'close');
    running.releaseSlow('agent-1');
    await expect.poll(() => running?.sockets.held()).toBe(0);
    const { ws, greeting } = await openAgentSocket(url);
    expect(greeting).toBe('hello agent-1');
    ws.close();
  });

  test("a malformed frame on another endpoint's socket closes that socket with 1002 and no other", async () => {
    running = startServer();
    const url = await running.ready;
    const other = await openAgentSocket(url);
    const client = await RawWebSocket.connect(url);
    expect((await client.upgrade('/api/agent/socket?token=agent-1')).status).toBe(101);
    client.send(clientFrame({ opcode: 0x1, payload: Buffer.from('hi'), masked: false }));
    expect(await client.closeCode()).toBe(1002);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.ping();
    await once(other.ws, 'pong');
    other.ws.close();
  });

  test('after close, new upgrades get 503 and open sockets are closed with 1001', async () => {
    running = startServer();
    const url = await running.ready;
    const open = await openAgentSocket(url);
    const closed = once(open.ws, 'close') as Promise<[number, Buffer]>;
    const closing = running.sockets.close();
    const client = await RawWebSocket.connect(url);
    const answer = await client.upgrade('/api/agent/socket?token=agent-1');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'SB_ERR_SHUTTING_DOWN' } });
    const [code] = await closed;
    expect(code).toBe(1001);
    await closing;
  });

  test('a peer that stops answering pings is dropped and gives its slot back; one that answers stays', async () => {
    running = startServer({ heartbeatMs: 40 });
    const url = await running.ready;
    const { ws: answering } = await openAgentSocket(url);
    const silent = await RawWebSocket.connect(url);
    expect((await silent.upgrade('/api/agent/socket?token=agent-1')).status).toBe(101);
    expect(running.sockets.held()).toBe(2);
    // The raw client never answers a ping, as a peer behind a dropped NAT mapping would not.
    await expect.poll(() => running?.sockets.held(), { timeout: 5_000 }).toBe(1);
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
    silent.destroy();
  });
});
