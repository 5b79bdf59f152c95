import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** One instance behind the proxy. */
export interface Backend {
  name: string;
  port: number;
}

/** Response header naming the instance that answered, so the bench knows where each turn ran. */
export const BACKEND_HEADER = 'x-bench-backend';

/** How long a backend that refused a connection is skipped before it is tried again. */
const SKIP_MS = 1000;

/**
 * A small round-robin HTTP + WebSocket proxy, the load balancer of the scale bench. A backend
 * that refuses connections (a killed instance) is skipped for a second and the request goes to
 * the next one: nothing reached the refusing backend, so resending is safe. A connection lost
 * after the request was sent answers 502, and the client retries with the same message id.
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly skippedUntil = new Map<string, number>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly sockets = new Set<Duplex>();

  private constructor(
    private readonly server: http.Server,
    readonly backends: Backend[],
  ) {}

  static async start(backends: Backend[]): Promise<RoundRobinProxy> {
    const server = http.createServer();
    const proxy = new RoundRobinProxy(server, backends);
    server.on('request', (req, res) => proxy.forward(req, res));
    server.on('upgrade', (req, socket, head) => proxy.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Backends in the order to try for the next request: round robin, skipped ones last. */
  private order(): Backend[] {
    const start = this.next++ % this.backends.length;
    const rotated = [...this.backends.slice(start), ...this.backends.slice(0, start)];
    const now = Date.now();
    const live = rotated.filter((b) => (this.skippedUntil.get(b.name) ?? 0) <= now);
    return [...live, ...rotated.filter((b) => !live.includes(b))];
  }

  private skip(backend: Backend): void {
    this.skippedUntil.set(backend.name, Date.now() + SKIP_MS);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    // The bench's bodies are small JSON: buffer them so a refused attempt can go elsewhere.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.attempt(req, res, Buffer.concat(chunks), this.order()));
  }

  private attempt(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, candidates: Backend[]): void {
    const [backend, ...rest] = candidates;
    if (backend === undefined) {
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"BENCH_PROXY_NO_BACKEND"}}');
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [BACKEND_HEADER]: backend.name });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        this.skip(backend);
        this.attempt(req, res, body, rest);
      } else if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json', [BACKEND_HEADER]: backend.name }).end('{"error":{"code":"BENCH_PROXY_UPSTREAM_LOST"}}');
      } else {
        res.destroy();
      }
    });
    upstream.end(body);
  }

  private upgrade(req: http.IncomingMessage, client: Duplex, head: Buffer): void {
    this.sockets.add(client);
    let upstream: net.Socket | undefined;
    client.on('error', () => upstream?.destroy());
    client.on('close', () => {
      upstream?.destroy();
      this.sockets.delete(client);
    });
    const connect = (candidates: Backend[]): void => {
      const [backend, ...rest] = candidates;
      if (backend === undefined) {
        client.destroy();
        return;
      }
      const socket = net.connect(backend.port, '127.0.0.1');
      upstream = socket;
      this.sockets.add(socket);
      let connected = false;
      socket.once('connect', () => {
        connected = true;
        const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        socket.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length > 0) socket.write(head);
        socket.pipe(client);
        client.pipe(socket);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (!connected && error.code === 'ECONNREFUSED' && !client.destroyed) {
          this.skip(backend);
          connect(rest);
        } else client.destroy();
      });
      socket.on('close', () => {
        this.sockets.delete(socket);
        if (connected) client.destroy();
      });
    };
    connect(this.order());
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
