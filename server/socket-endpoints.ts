import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SwitchboardError } from '../core/errors.js';
import type { SocketEndpoint, UpgradeRequest } from '../core/socket-endpoint.js';
import { clientIp, type TrustProxy } from './client-ip.js';
import type { Logger } from './logger.js';
import { SocketBudget, type SocketRefusal } from './socket-budget.js';
import { refuseUpgrade } from './upgrade-refusal.js';

/** Our socket URLs are a path and a token; anything longer is not a client of ours. */
export const MAX_UPGRADE_URL_LENGTH = 2048;
/** The ws default (100 MiB) would let one client hold that much memory per frame. */
const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** Sockets are long-lived; a refused client should not retry in a tight loop. */
const RETRY_AFTER_SECONDS = 30;
/** How often every socket is pinged; one that has not answered the previous ping is dropped. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

export type { SocketEndpoint, UpgradeRequest };

interface Registered {
  wss: WebSocketServer;
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, request: UpgradeRequest, handshake: Handshake): Promise<void>;
}

/** What the handshake holds until the socket is open: its budget slot and its raw-socket error listener. */
interface Handshake {
  release(): void;
  onError(this: Duplex, error: Error): void;
}

/**
 * The one owner of the HTTP server's 'upgrade' event. Every upgrade is answered: a socket on a
 * registered path that authenticates and fits the budget, or an HTTP error and a destroyed
 * socket (400 bad URL, 404 unknown path, 401, 429 per-IP cap, 503 total cap or shutting down).
 * Every accepted socket gets an 'error' listener before its endpoint sees it, because ws emits
 * 'error' for a malformed frame and an unhandled one ends the process, dropping every socket.
 */
export class SocketEndpoints {
  private readonly endpoints = new Map<string, Registered>();
  private readonly budget: SocketBudget;
  private closing = false;
  /** Sockets that answered the last ping (or opened since). */
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: { log: Logger; trust: TrustProxy; limits: { perIp: number; total: number }; heartbeatMs?: number }) {
    this.budget = new SocketBudget(deps.limits);
    // A peer that vanished without a FIN (phone lost signal, NAT dropped the mapping) would hold
    // its budget slot until TCP gives up, hours later; an unanswered ping frees it within two beats.
    this.heartbeat = setInterval(() => this.beat(), deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): void {
    for (const { wss } of this.endpoints.values()) {
      for (const ws of wss.clients) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }
  }

  /** The registered upgrade paths (the API document lists each). */
  paths(): string[] {
    return [...this.endpoints.keys()];
  }

  register<Identity>(endpoint: SocketEndpoint<Identity>): void {
    if (this.endpoints.has(endpoint.path)) throw new Error(`socket endpoint ${endpoint.path} is registered twice`);
    // No compression: permessage-deflate costs CPU and memory per socket and lets a small frame inflate.
    const wss = new WebSocketServer({ noServer: true, maxPayload: endpoint.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
    const log = this.deps.log;
    const accept: Registered['accept'] = async (req, socket, head, request, handshake) => {
      let identity: Identity | null;
      try {
        identity = await endpoint.authenticate(request);
      } catch (error) {
        handshake.release();
        log.warn({ socketPath: endpoint.path, code: errorCode(error) }, 'websocket authentication failed');
        return refuseUpgrade(socket, new SwitchboardError('SB_ERR_UNAVAILABLE', undefined, [], { retryAfterSeconds: RETRY_AFTER_SECONDS }));
      }
      // The client may have gone while an asynchronous authentication ran.
      if (socket.destroyed) return handshake.release();
      if (identity === null) {
        handshake.release();
        return refuseUpgrade(socket, new SwitchboardError('SB_ERR_UNAUTHENTICATED'));
      }
      const authenticated = identity;
      // ws answers a bad handshake (wrong method, key or version) with 4xx and destroys the socket itself.
      wss.handleUpgrade(req, socket, head, (ws) => {
        socket.removeListener('error', handshake.onError);
        this.alive.add(ws);
        ws.on('pong', () => this.alive.add(ws));
        ws.on('error', (error: Error) => {
          // The code says which rule the frame broke; the message and the peer are not logged.
          log.warn({ socketPath: endpoint.path, code: errorCode(error) }, 'websocket closed after a protocol error');
        });
        try {
          endpoint.connected(ws, authenticated);
        } catch (error) {
          log.error({ socketPath: endpoint.path, code: errorCode(error) }, 'websocket endpoint failed on connect');
          ws.close(1011);
        }
      });
    };
    this.endpoints.set(endpoint.path, { wss, accept });
  }

  /** Takes over `server`'s 'upgrade' event (there must be no other listener). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      try {
        this.onUpgrade(req, socket, head);
      } catch (error) {
        // A throw here would be uncaught (an event listener) and end the process; it costs this socket only.
        this.deps.log.error({ code: errorCode(error) }, 'websocket upgrade failed');
        refuseUpgrade(socket, new SwitchboardError('SB_ERR_INTERNAL'));
      }
    });
  }

  /** Sockets open or in their handshake. */
  held(ip?: string): number {
    return this.budget.held(ip);
  }

  /** Refuses new upgrades and closes every socket with 1001 (the widget reconnects elsewhere). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    await Promise.all(
      [...this.endpoints.values()].map(({ wss }) => {
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        return new Promise<void>((resolve) => wss.close(() => resolve()));
      }),
    );
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node removes its own listeners when it hands over an upgraded socket; a reset in the handshake would otherwise be uncaught.
    const onError = handshakeErrorHandler(this.deps.log);
    socket.on('error', onError);
    if (this.closing) return refuseUpgrade(socket, new SwitchboardError('SB_ERR_SHUTTING_DOWN', undefined, [], { retryAfterSeconds: 1 }));
    const url = parseUpgradeUrl(req.url);
    if (url === null) return refuseUpgrade(socket, new SwitchboardError('SB_ERR_VALIDATION', 'The request URL is invalid', [{ path: 'url', message: 'is not a valid URL path' }]));
    const endpoint = this.endpoints.get(url.pathname);
    if (endpoint === undefined) return refuseUpgrade(socket, new SwitchboardError('SB_ERR_NOT_FOUND'));
    const ip = clientIp(req, this.deps.trust);
    const slot = this.budget.reserve(ip);
    if (!slot.ok) return refuseUpgrade(socket, capRefusal(slot.reason));
    // The slot lives as long as the TCP socket: refused, reset or closed after years, it is given back.
    socket.once('close', slot.release);
    endpoint.accept(req, socket, head, { url, headers: req.headers, clientIp: ip }, { release: slot.release, onError }).catch((error: unknown) => {
      // Nothing above should throw; if it does, this socket is refused and the process goes on.
      slot.release();
      this.deps.log.error({ code: errorCode(error) }, 'websocket upgrade failed');
      refuseUpgrade(socket, new SwitchboardError('SB_ERR_INTERNAL'));
    });
  }
}

function capRefusal(reason: SocketRefusal): SwitchboardError {
  switch (reason) {
    case 'per-ip':
      return new SwitchboardError('SB_ERR_RATE_LIMITED', 'Too many open sockets from this address', [], { retryAfterSeconds: RETRY_AFTER_SECONDS });
    case 'total':
      return new SwitchboardError('SB_ERR_UNAVAILABLE', 'The server holds as many sockets as it can', [], { retryAfterSeconds: RETRY_AFTER_SECONDS });
    default:
      return assertNever(reason);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected socket refusal ${String(value)}`);
}

/** The path-and-query of an upgrade request, or null when it is too long or unparseable. */
export function parseUpgradeUrl(raw: string | undefined): URL | null {
  if (raw === undefined || raw.length > MAX_UPGRADE_URL_LENGTH || !raw.startsWith('/')) return null;
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    return null;
  }
}

function handshakeErrorHandler(log: Logger): (this: Duplex, error: Error) => void {
  return function onHandshakeError(this: Duplex, error: Error) {
    // Resets during a handshake are routine (clients give up); only the code is worth keeping.
    log.debug({ code: errorCode(error) }, 'socket error during websocket handshake');
    this.destroy();
  };
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown';
}
