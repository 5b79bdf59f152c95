import type { ChannelName } from '../core/message.js';

/**
 * The customer-service window of WhatsApp (Cloud API and Twilio), Messenger and Instagram: a
 * business may write free-form only within 24 hours of the customer's last message; after that
 * only an approved template (WhatsApp) or, for a person answering on Messenger/Instagram, a
 * message tagged HUMAN_AGENT within 7 days. Tracked per (channel, business, customer), where
 * `business` is the number or page the customer wrote to (a WhatsApp phone-number id, a page id,
 * Twilio's `whatsapp:+1…` sender) and `customer` the customer's id on that channel.
 */
export interface WindowKey {
  channel: ChannelName;
  business: string;
  customer: string;
}

/** Meta's standard messaging window. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600_000;
/** Messenger/Instagram's human-agent tag: a person may answer up to 7 days after the last message. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

/** Where a conversation stands for a free-form message at `now`. */
export type WindowState =
  /** Free-form messages allowed until `closesAt`. */
  | { kind: 'open'; lastInboundAt: Date; closesAt: Date }
  /** Past the 24 hours but inside the human-agent 7 days: only a person's reply, tagged HUMAN_AGENT (Messenger, Instagram). */
  | { kind: 'human_agent'; lastInboundAt: Date; closesAt: Date }
  /** Nothing free-form: templates only. `lastInboundAt` null when the customer never wrote. */
  | { kind: 'closed'; lastInboundAt: Date | null };

/**
 * Where windows are kept: db/messaging-windows.ts (table `messaging_windows`, migration 0020),
 * wired by server/service.ts; `inMemoryMessagingWindows` for unit tests.
 */
export interface MessagingWindowStore {
  /** Moves the window's start to the customer's message at `at`; never backwards, so a webhook redelivered days later leaves it where it is. */
  recordInbound(key: WindowKey & { at: Date }): Promise<void>;
  /** When the customer last wrote to this business on this channel, or null. */
  lastInbound(key: WindowKey): Promise<Date | null>;
}

/** Moves the window of `key` forward to `at` (never back). */
export async function recordInbound(store: MessagingWindowStore, key: WindowKey & { at: Date }): Promise<void> {
  await store.recordInbound(key);
}

/**
 * The window at `now`. `humanAgentTag`: the channel allows the 7-day HUMAN_AGENT tag
 * (Messenger, Instagram), so a person's reply past 24 hours is `human_agent`, not `closed`.
 */
export function windowStateAt(lastInboundAt: Date | null, now: Date, options: { humanAgentTag?: boolean } = {}): WindowState {
  if (lastInboundAt === null) return { kind: 'closed', lastInboundAt: null };
  const since = now.getTime() - lastInboundAt.getTime();
  if (since < CUSTOMER_SERVICE_WINDOW_MS) return { kind: 'open', lastInboundAt, closesAt: new Date(lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS) };
  if (options.humanAgentTag === true && since < HUMAN_AGENT_WINDOW_MS) {
    return { kind: 'human_agent', lastInboundAt, closesAt: new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS) };
  }
  return { kind: 'closed', lastInboundAt };
}

/** The window of `key` at `now`, read from the database. */
export async function windowState(store: MessagingWindowStore, key: WindowKey & { now: Date; humanAgentTag?: boolean }): Promise<WindowState> {
  return windowStateAt(await store.lastInbound(key), key.now, key.humanAgentTag === undefined ? {} : { humanAgentTag: key.humanAgentTag });
}

/** True while a free-form message may be sent (the 24-hour window; the human-agent tag not counted). */
export async function windowOpen(store: MessagingWindowStore, key: WindowKey & { now: Date }): Promise<boolean> {
  return (await windowState(store, key)).kind === 'open';
}

/** A store in memory, for unit tests of senders and policies. */
export function inMemoryMessagingWindows(): MessagingWindowStore {
  const last = new Map<string, Date>();
  const id = (key: WindowKey) => JSON.stringify([key.channel, key.business, key.customer]);
  return {
    recordInbound: async (key) => {
      const before = last.get(id(key));
      if (before === undefined || before < key.at) last.set(id(key), key.at);
      await Promise.resolve();
    },
    lastInbound: async (key) => {
      await Promise.resolve();
      return last.get(id(key)) ?? null;
    },
  };
}
