import type { WebSocket } from 'ws';
import { AGENT_SOCKET_PATH, type AgentProfile, type AgentSocketFrame } from '../../core/agent-api.js';
import type { SocketEndpoint } from '../../core/socket-endpoint.js';
import type { Unsubscribe } from '../../core/stores.js';
import type { Announcement } from '../../bots/live-feed.js';
import type { ConversationStatus } from '../../core/conversation.js';
import { maySee } from '../../handoff/agent-access.js';
import { parseJson } from '../../core/parse-json.js';
import { AgentActivity } from './ephemeral.js';
import { isOwnUpgradeOrigin } from './origin.js';

/** Console frames are tiny: activity signals (viewing, typing) of a few dozen bytes. */
const MAX_FRAME_BYTES = 4 * 1024;
/** How often an open socket checks that its session still exists (signed out elsewhere, expired). */
const SESSION_CHECK_MS = 30_000;


export interface AgentSocketDeps {
  /** Every announcement of the live feed, from every instance. */
  subscribe(handler: (announcement: Announcement) => void): Promise<Unsubscribe>;
  /** The console user of a Cookie header, or null. */
  agentOf(cookieHeader: string | undefined): Promise<AgentProfile | null>;
  /** Who holds a conversation and whose queue it is in (team null: unrouted), or undefined when it does not exist. */
  holdingOf(conversationId: string): Promise<{ status: ConversationStatus; team: string | null } | undefined>;
  publicUrl(): string;
  /** Viewing and typing signals (server/agent/ephemeral.ts); without it frames from the console are ignored. */
  activity?: AgentActivity;
  log: { warn(obj: object, msg: string): void };
  sessionCheckMs?: number;
}

export interface AgentSocket extends SocketEndpoint<AgentSession> {
  close(): Promise<void>;
}

interface AgentSession {
  agent: AgentProfile;
  cookie: string | undefined;
}

/**
 * The console's live updates (`/api/agent/socket`): authenticated by the session cookie (and an
 * Origin check, since a cookie rides along on a cross-site upgrade too), fed by the live feed
 * across instances. Each frame is a doorbell — which conversation stored which seq — sent only
 * for conversations in the agent's queues; the console reads the content over the API, which
 * authorises again.
 */
export function agentSocket(deps: AgentSocketDeps): AgentSocket {
  const open = new Map<WebSocket, AgentSession>();
  let subscription: Promise<Unsubscribe> | null = null;

  // A commit's events are announced together: one read of their conversation serves them all.
  // Only reads in flight are shared, never kept, so a transfer counts for the next announcement.
  const reading = new Map<string, ReturnType<AgentSocketDeps['holdingOf']>>();
  const holdingOf = (conversationId: string): ReturnType<AgentSocketDeps['holdingOf']> => {
    const pending = reading.get(conversationId);
    if (pending !== undefined) return pending;
    const holding = deps.holdingOf(conversationId);
    reading.set(conversationId, holding);
    const forget = (): void => void reading.delete(conversationId);
    holding.then(forget, forget);
    return holding;
  };

  const fanOut = async (announcement: Announcement): Promise<void> => {
    if (open.size === 0) return;
    const holding = await holdingOf(announcement.conversationId);
    if (holding === undefined) return;
    // The bot's own turns are no agent's business, except the change that hands one off or back.
    if (holding.status === 'bot' && announcement.type !== 'status_changed') return;
    const { team } = holding;
    const frame: AgentSocketFrame = { type: 'event', conversationId: announcement.conversationId, seq: announcement.seq, eventType: announcement.type };
    const text = JSON.stringify(frame);
    for (const [ws, { agent }] of open) {
      if (ws.readyState === ws.OPEN && maySee(agent, { team })) ws.send(text);
    }
  };

  const subscribeAll = async (): Promise<Unsubscribe> => {
    const feed = await deps.subscribe((announcement) => {
      fanOut(announcement).catch((error: unknown) => deps.log.warn({ err: error }, 'agent socket could not forward an announcement'));
    });
    if (deps.activity === undefined) return feed;
    const activity = await deps.activity
      .subscribe((signal) => {
        for (const [ws, { agent }] of open) {
          const frame = AgentActivity.frameFor(agent, signal);
          if (frame !== null && ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
        }
      })
      .catch(async (error: unknown) => {
        await feed();
        throw error;
      });
    return async () => {
      await Promise.all([feed(), activity()]);
    };
  };

  const ensureSubscribed = (): Promise<Unsubscribe> => {
    subscription ??= subscribeAll()
      .catch((error: unknown) => {
        // The next socket tries again.
        subscription = null;
        throw error;
      });
    return subscription;
  };

  return {
    path: AGENT_SOCKET_PATH,
    maxPayloadBytes: MAX_FRAME_BYTES,
    authenticate: async ({ headers }) => {
      const scheme = deps.publicUrl().startsWith('https:') ? 'https' : 'http';
      if (!isOwnUpgradeOrigin(headers, deps.publicUrl(), scheme)) return null;
      const agent = await deps.agentOf(headers.cookie);
      return agent === null ? null : { agent, cookie: headers.cookie };
    },
    connected: (ws, session) => {
      open.set(ws, session);
      const check = setInterval(() => {
        deps.agentOf(session.cookie).then(
          (agent) => {
            if (agent === null) ws.close(4401, 'signed out');
            else open.set(ws, { ...session, agent });
          },
          () => undefined,
        );
      }, deps.sessionCheckMs ?? SESSION_CHECK_MS);
      check.unref();
      // One socket's signals are passed on in the order they came (typing after viewing, not before).
      let signals: Promise<void> = Promise.resolve();
      ws.on('message', (data, isBinary) => {
        // The console acts over HTTP; its only frames are activity hints, checked against the session's current profile.
        const { activity } = deps;
        if (activity === undefined || isBinary || !Buffer.isBuffer(data)) return;
        const signal = parseJson(data.toString('utf8'));
        signals = signals
          .then(() => {
            const current = open.get(ws);
            return current === undefined ? undefined : activity.fromConsole(current.agent, signal);
          })
          .catch((error: unknown) => deps.log.warn({ err: error }, 'agent socket could not pass on an activity signal'));
      });
      ws.on('close', () => {
        clearInterval(check);
        open.delete(ws);
      });
      ensureSubscribed().then(
        () => {
          const ready: AgentSocketFrame = { type: 'ready', agentId: session.agent.id };
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(ready));
        },
        () => ws.close(1011, 'subscription failed'),
      );
    },
    close: async () => {
      for (const ws of open.keys()) ws.close(1001, 'server shutting down');
      open.clear();
      const current = subscription;
      subscription = null;
      if (current !== null) await current.then((un) => un()).catch(() => undefined);
    },
  };
}
