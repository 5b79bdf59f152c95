import { AGENT_SOCKET_PATH, AgentSocketFrameSchema, type AgentSocketFrame, type ConsoleSignal } from '../../../core/agent-api.js';

/** Stops the live updates when called; `send` passes an activity signal on while the socket is open (dropped otherwise: it is a hint). */
export interface LiveConnection {
  (): void;
  send(signal: ConsoleSignal): void;
}

/**
 * The console's live updates: a socket to `/api/agent/socket` (the session cookie authenticates
 * it) that reconnects with backoff. Frames are doorbells; `onFrame` re-reads over the API. After
 * a reconnect `onReconnect` runs too, since announcements made while it was down are gone.
 */
export function connectLive(handlers: { onFrame(frame: AgentSocketFrame): void; onReconnect(): void; onStatus(live: boolean): void }): LiveConnection {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}${AGENT_SOCKET_PATH}`);
    socket.addEventListener('message', (message) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const frame = AgentSocketFrameSchema.safeParse(data);
      if (!frame.success) return;
      if (frame.data.type === 'ready') {
        handlers.onStatus(true);
        if (attempt > 0) handlers.onReconnect();
        attempt = 0;
      }
      handlers.onFrame(frame.data);
    });
    socket.addEventListener('close', () => {
      handlers.onStatus(false);
      if (stopped) return;
      attempt += 1;
      timer = setTimeout(open, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
    });
  };
  open();
  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
  return Object.assign(stop, {
    send: (signal: ConsoleSignal): void => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(signal));
    },
  });
}
