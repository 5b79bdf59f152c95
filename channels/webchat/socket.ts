import type { WebSocket } from 'ws';
import { z } from 'zod';
import { apiDocs } from '../../core/api-doc.js';
import { parseJson } from '../../core/parse-json.js';
import type { PubSub, Unsubscribe } from '../../core/stores.js';
import type { SocketEndpoint } from '../../core/socket-endpoint.js';
import type { WebchatSessions } from './session.js';
import { webchatTopic } from './sender.js';

export const WEBCHAT_SOCKET_PATH = '/api/webchat/socket';
/** A chat message is small; the ws default (100 MiB) would let one client exhaust memory. */
const MAX_FRAME_BYTES = 64 * 1024;

/** An upgrade, not an express route: documented as a GET answering 101. */
export const webchatSocketDocs = apiDocs('', 'Web chat', [
  {
    method: 'get',
    path: WEBCHAT_SOCKET_PATH,
    summary: "WebSocket: the bot's replies and agent messages pushed to the widget, from any instance (see docs/webchat.md).",
    description:
      'Frames are `{ "type": "message", "seq", "author", "message" }`; `{ "type": "agent", "seq", "name" }` when a person takes the chat (first ' +
      'name only; null: nobody holds it now); `{ "type": "typing", "name" }` while that person types. The widget sends `{ "type": "typing" }` while the customer types ' +
      '(shown to agents, never stored); other frames are ignored (messages go over HTTP).',
    query: z.object({ token: z.string().meta({ description: 'The session token from POST /api/webchat/sessions.' }) }),
    responses: { 101: 'Switching protocols.', 401: 'No valid session token.' },
  },
]);

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
/** The one frame the widget sends: the customer is typing (throttled by the widget and the receiver). */
const WidgetFrameSchema = z.strictObject({ type: z.literal('typing') });

export function webchatSocket(deps: { sessions: WebchatSessions; pubsub: PubSub; customerTyping?: (visitorId: string) => Promise<void> }): WebchatSocket {
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
        if (ws.readyState !== ws.OPEN) return;
        const published = JSON.parse(message) as object;
        // Transcript entries (seq, author, message) become `message` frames; who holds the chat
        // and their typing (server/agent/ephemeral.ts) arrive already typed.
        ws.send(JSON.stringify('type' in published ? published : { type: 'message', ...published }));
      });
      subscriptions.set(ws, subscription);
      ws.on('message', (data: Buffer) => {
        // The widget sends messages over HTTP; here only `{ "type": "typing" }`, a hint: anything else is ignored.
        if (deps.customerTyping === undefined || !WidgetFrameSchema.safeParse(parseJson(data.toString('utf8'))).success) return;
        void deps.customerTyping(visitorId).catch(() => undefined);
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
