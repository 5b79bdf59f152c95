import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';

/** What an endpoint may look at to decide who a socket is for. */
export interface UpgradeRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  clientIp: string;
}

/**
 * A WebSocket endpoint: one path, how a socket there is authenticated, what it does once open.
 * Channels declare these; the server's SocketEndpoints owns the upgrade, the caps and heartbeats.
 */
export interface SocketEndpoint<Identity> {
  /** Exact pathname, e.g. `/api/webchat/socket`. */
  path: string;
  /** Largest frame accepted (default 64 KiB); a bigger one closes that socket with 1009. */
  maxPayloadBytes?: number;
  /** Who the socket is for; null refuses the upgrade with 401. A throw refuses it with 503. */
  authenticate(request: UpgradeRequest): Identity | null | Promise<Identity | null>;
  /** An open socket. Its 'error' events are already handled: logged by code and closed with 1002/1007/1009. */
  connected(ws: WebSocket, identity: Identity): void;
}
