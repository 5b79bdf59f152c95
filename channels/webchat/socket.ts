import type { WebSocket } from 'ws';
import type { PubSub, Unsubscribe } from '../../core/stores.js';
import type { SocketEndpoint } from '../../core/socket-endpoint.js';
import type { WebchatSessions } from './session.js';
import { webchatTopic } from './sender.js';

export const WEBCHAT_SOCKET_PATH = '/api/webchat/socket';
/** A chat message is small; the ws default (100 MiB) would let one client exhaust memory. */
const MAX_FRAME_BYTES = 64 * 1024;

export interface WebchatSocket extends SocketEndpoint<string> {
  /** Waits until every pub/sub subscription of a closed socket is gone (before the state store closes). */
  close(): Promise<void>;
}

/**
 * Server → widget push over WebSocket (`/api/webchat/socket?token=…`). Replies and agent
 * messages arrive here from any instance through pub/sub; the widget sends over HTTP.
 * Registered with the server's SocketEndpoints, which owns the upgrade, the caps and the
 * handling of malformed frames.
 */
export function webchatSocket(deps: { sessions: WebchatSessions; pubsub: PubSub }): WebchatSocket {
  const subscriptions = new Map<WebSocket, Promise<Unsubscribe>>();
  const unsubscribing = new Set<Promise<void>>();
  const unsubscribe = (ws: WebSocket): void => {
    const subscription = subscriptions.get(ws);
    if (subscription === undefined) return;
    subscriptions.delete(ws);
    const done = subscription.then((un) => un()).catch(() => undefined);
    unsubscribing.add(done);
    void done.finally(() => unsubscribing.delete(done));
  };

  return {
    path: WEBCHAT_SOCKET_PATH,
    maxPayloadBytes: MAX_FRAME_BYTES,
    authenticate: ({ url }) => deps.sessions.verify(url.searchParams.get('token') ?? undefined),
    connected: (ws, visitorId) => {
      const subscription = deps.pubsub.subscribe(webchatTopic(visitorId), (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'message', ...(JSON.parse(message) as object) }));
      });
      subscriptions.set(ws, subscription);
      ws.on('message', () => {
        // The widget sends over HTTP; frames other than pings are ignored.
      });
      ws.on('close', () => unsubscribe(ws));
      void subscription.then(
        () => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ready' }));
        },
        // Without a subscription the socket would stay silent; closing lets the widget retry.
        () => ws.close(1011, 'subscription failed'),
      );
    },
    close: async () => {
      for (const ws of [...subscriptions.keys()]) unsubscribe(ws);
      await Promise.all([...unsubscribing]);
    },
  };
}
