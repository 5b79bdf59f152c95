import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PubSub, Unsubscribe } from '../../core/stores.js';
import type { WebchatSessions } from './session.js';
import { webchatTopic } from './sender.js';

export const WEBCHAT_SOCKET_PATH = '/api/webchat/socket';
/** A chat message is small; the ws default (100 MiB) would let one client exhaust memory. */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Server → widget push over WebSocket (`/api/webchat/socket?token=…`). Replies and agent
 * messages arrive here from any instance through pub/sub; the widget sends over HTTP.
 */
export function attachWebchatSocket(server: Server, deps: { sessions: WebchatSessions; pubsub: PubSub }): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const subscriptions = new Map<WebSocket, Promise<Unsubscribe>>();

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WEBCHAT_SOCKET_PATH) return;
    const visitorId = deps.sessions.verify(url.searchParams.get('token') ?? undefined);
    if (visitorId === null) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = deps.pubsub.subscribe(webchatTopic(visitorId), (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'message', ...(JSON.parse(message) as object) }));
      });
      subscriptions.set(ws, unsubscribe);
      ws.on('message', () => {
        // The widget sends over HTTP; frames other than pings are ignored.
      });
      ws.on('close', () => {
        void subscriptions.get(ws)?.then((un) => un()).catch(() => undefined);
        subscriptions.delete(ws);
      });
      void unsubscribe.then(() => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ready' }));
      });
    });
  });

  return {
    close: async () => {
      // 1001 "going away": the widget reconnects (to another instance) and catches up by seq.
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await Promise.all([...subscriptions.values()].map((p) => p.then((un) => un()).catch(() => undefined)));
      subscriptions.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
