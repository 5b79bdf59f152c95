import { z } from 'zod';
import type { ChannelName } from '../core/message.js';
import { parseJson } from '../core/parse-json.js';
import type { SnapshotStore } from '../core/stores.js';
import type { ContactRef, ConversationRepository } from '../db/conversations.js';

/**
 * Which open conversation of the same customer on another channel a sender continues
 * (bots/cross-channel.ts), or null to open one on this channel.
 */
export type Continuation = (contact: ContactRef, channel: ChannelName, senderId: string) => Promise<string | null>;

const RouteSchema = z.object({ contactId: z.string(), conversationId: z.string() });
export type ConversationRoute = z.infer<typeof RouteSchema>;

const ROUTE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Which contact and open conversation a channel sender maps to, cached in the state backend
 * so a turn needs no database read to find them. The database stays the source of truth:
 * a miss (restart, expiry) looks them up or creates them there. Routes are resolved before any
 * lock (the turn's lock is the conversation's, known only from the route), so concurrent first
 * messages of one sender rely on the database: one identity per channel + sender, one open
 * conversation per contact + channel.
 */
export class ConversationRoutes {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly cache: SnapshotStore,
    private readonly continuation?: Continuation,
  ) {}

  private key(channel: ChannelName, senderId: string): string {
    return `route:${channel}:${senderId}`;
  }

  async resolve(channel: ChannelName, senderId: string, displayName?: string): Promise<ConversationRoute> {
    const cached = await this.cache.get(this.key(channel, senderId));
    if (cached !== null) {
      const parsed = RouteSchema.safeParse(parseJson(cached.value));
      if (parsed.success) return parsed.data;
    }
    return this.refresh(channel, senderId, displayName, cached?.version ?? 0);
  }

  /** Opens the sender's current conversation again (after the previous one was resolved). */
  async reopen(channel: ChannelName, senderId: string): Promise<ConversationRoute> {
    await this.cache.delete(this.key(channel, senderId));
    return this.refresh(channel, senderId, undefined, 0);
  }

  private async refresh(channel: ChannelName, senderId: string, displayName: string | undefined, version: number): Promise<ConversationRoute> {
    const contact = await this.repo.resolveContact(channel, senderId, displayName);
    const continued = this.continuation === undefined ? null : await this.continuation(contact, channel, senderId);
    const conversationId = continued ?? (await this.repo.openConversation(contact.contactId, channel)).id;
    const route = { contactId: contact.contactId, conversationId };
    // Losing this race only means the next turn looks the route up again.
    await this.cache.set(this.key(channel, senderId), JSON.stringify(route), version, ROUTE_TTL_MS);
    return route;
  }
}
