import { z } from 'zod';
import { AgentActivitySchema, ConsoleSignalSchema, type AgentProfile, type AgentSocketFrame } from '../../core/agent-api.js';
import type { ConversationStatus } from '../../core/conversation.js';
import type { ReplyIdentity } from '../../core/conversation-state.js';
import { parseJson } from '../../core/parse-json.js';
import type { CounterStore, IdempotencyStore, PubSub, Unsubscribe } from '../../core/stores.js';
import type { Announcement } from '../../bots/live-feed.js';
import type { StoredEvent } from '../../db/conversations.js';
import { maySee } from '../../handoff/agent-access.js';
import { webchatTopic } from '../../channels/webchat/sender.js';

/** Topic on which consoles' activity (viewing, typing) crosses instances. Never stored. */
export const ACTIVITY_TOPIC = 'agent-activity';
/** At most one signal of a kind per agent and conversation in this window, whatever a console sends. */
export const ACTIVITY_WINDOW_MS = 2_000;
/** How long one "joined" claim is kept: long enough that every instance has seen the announcement. */
const JOINED_CLAIM_TTL_MS = 10 * 60 * 1000;

/** One agent's activity on one conversation, as it crosses instances (the team is the conversation's, for fan-out without a read). */
const AgentSignalSchema = z.object({
  activity: AgentActivitySchema,
  conversationId: z.string(),
  team: z.string().nullable(),
  agentId: z.string(),
  agentName: z.string(),
  at: z.string(),
});
/** The customer typing in the widget (server/agent/customer-typing.ts). */
const CustomerTypingSignalSchema = z.object({ activity: z.literal('customer_typing'), conversationId: z.string(), team: z.string().nullable(), at: z.string() });
const ActivitySignalSchema = z.union([AgentSignalSchema, CustomerTypingSignalSchema]);
export type ActivitySignal = z.infer<typeof ActivitySignalSchema>;
export type CustomerTypingSignal = z.infer<typeof CustomerTypingSignalSchema>;

/** What the widget hears besides messages: who holds the conversation now, and that they are typing. */
export type WidgetAgentFrame = { type: 'agent'; seq: number; name: string | null } | { type: 'typing'; name: string };

/** A conversation as the activity rules need it (its projection). */
export interface ActivityConversation {
  status: ConversationStatus;
  team: string | null;
  assigneeId: string | null;
  replyTo: ReplyIdentity | null;
}

export interface AgentActivityDeps {
  pubsub: PubSub;
  counters: CounterStore;
  idempotency: IdempotencyStore;
  conversation(conversationId: string): Promise<ActivityConversation | undefined>;
  events: { eventsAfter(conversationId: string, seq: number, limit?: number): Promise<StoredEvent[]> };
  names(ids: readonly string[]): Promise<Map<string, string>>;
  log: { warn(obj: object, msg: string): void };
  now?: () => Date;
}

/**
 * The first name the customer sees for an agent: the first word of their display name, never
 * their full name or email. Rendered as text by the widget.
 */
export function firstNameOf(displayName: string): string {
  const first = displayName.trim().split(/\s+/)[0] ?? '';
  return first === '' ? 'An agent' : first.slice(0, 40);
}

/**
 * The live human touches that are not part of the record: agents viewing and typing (shown to
 * other agents on the same conversation, across instances, over `/api/agent/socket`), an agent
 * typing into a web chat they hold (shown in the widget), and "<first name> has joined" in the
 * widget when an agent takes a web-chat conversation. Signals travel on pub/sub only; a lost one
 * costs an indicator, never a message. Every console signal is authorised (the agent must see the
 * conversation) and throttled per agent, kind and conversation in the shared counters.
 */
export class AgentActivity {
  constructor(private readonly deps: AgentActivityDeps) {}

  /** A frame a console sent; anything malformed, unauthorised or too frequent is dropped silently (it is a hint, not a request). */
  async fromConsole(agent: AgentProfile, raw: unknown): Promise<void> {
    const parsed = ConsoleSignalSchema.safeParse(raw);
    if (!parsed.success) return;
    const { type: activity, conversationId } = parsed.data;
    const conversation = await this.deps.conversation(conversationId);
    if (conversation === undefined || !maySee(agent, conversation)) return;
    if ((await this.deps.counters.hit(`activity:${activity}:${agent.id}:${conversationId}`, ACTIVITY_WINDOW_MS)) > 1) return;
    const at = (this.deps.now?.() ?? new Date()).toISOString();
    const signal: ActivitySignal = { activity, conversationId, team: conversation.team, agentId: agent.id, agentName: agent.name, at };
    const sends = [this.deps.pubsub.publish(ACTIVITY_TOPIC, JSON.stringify(signal))];
    // The customer sees only the person who holds their web chat typing; other agents' drafts are theirs.
    if (activity === 'typing' && conversation.status === 'assigned' && conversation.assigneeId === agent.id && conversation.replyTo?.channel === 'webchat') {
      sends.push(this.toWidget(conversation.replyTo, { type: 'typing', name: firstNameOf(agent.name) }));
    }
    await Promise.all(sends);
  }

  /** Every instance's signals; malformed messages on the topic are ignored. */
  subscribe(handler: (signal: ActivitySignal) => void): Promise<Unsubscribe> {
    return this.deps.pubsub.subscribe(ACTIVITY_TOPIC, (message) => {
      const parsed = ActivitySignalSchema.safeParse(parseJson(message));
      if (parsed.success) handler(parsed.data);
    });
  }

  /** The socket frame of a signal for `viewer`, or null when it is theirs or about a conversation outside their queues. */
  static frameFor(viewer: AgentProfile, signal: ActivitySignal): AgentSocketFrame | null {
    if (!maySee(viewer, { team: signal.team })) return null;
    if (signal.activity === 'customer_typing') return { type: 'customer_typing', conversationId: signal.conversationId, at: signal.at };
    if (signal.agentId === viewer.id) return null;
    return { type: 'activity', activity: signal.activity, conversationId: signal.conversationId, agentId: signal.agentId, agentName: signal.agentName, at: signal.at };
  }

  /**
   * Follows the live feed for changes of holder: when a web-chat conversation gets (or loses) its
   * agent, the widget hears who it is talking to. Every instance hears the announcement; a shared
   * claim on conversation + seq lets exactly one of them tell the widget.
   */
  follow(subscribe: (handler: (announcement: Announcement) => void) => Promise<Unsubscribe>): Promise<Unsubscribe> {
    return subscribe((announcement) => {
      if (announcement.type !== 'assignee_changed') return;
      this.announceHolder(announcement).catch((error: unknown) => this.deps.log.warn({ err: error, conversationId: announcement.conversationId }, 'could not tell the widget who joined'));
    });
  }

  /** The first name of whoever holds the conversation now, or null (the widget's header after a reload). */
  async holderName(conversationId: string): Promise<string | null> {
    const conversation = await this.deps.conversation(conversationId);
    if (conversation === undefined || conversation.status !== 'assigned' || conversation.assigneeId === null) return null;
    const name = (await this.deps.names([conversation.assigneeId])).get(conversation.assigneeId);
    return name === undefined ? null : firstNameOf(name);
  }

  private async announceHolder({ conversationId, seq }: Announcement): Promise<void> {
    const conversation = await this.deps.conversation(conversationId);
    if (conversation?.replyTo?.channel !== 'webchat') return;
    const [stored] = await this.deps.events.eventsAfter(conversationId, seq - 1, 1);
    if (stored === undefined || stored.seq !== seq || stored.event.type !== 'assignee_changed') return;
    if (!(await this.deps.idempotency.claim(`agent-joined:${conversationId}:${seq}`, JOINED_CLAIM_TTL_MS))) return;
    const agentId = stored.event.agentId;
    const name = agentId === null ? undefined : (await this.deps.names([agentId])).get(agentId);
    await this.toWidget(conversation.replyTo, { type: 'agent', seq, name: name === undefined ? null : firstNameOf(name) });
  }

  private toWidget(replyTo: ReplyIdentity, frame: WidgetAgentFrame): Promise<void> {
    return this.deps.pubsub.publish(webchatTopic(replyTo.senderId), JSON.stringify(frame));
  }
}
