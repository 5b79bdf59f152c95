import type { ConversationStatus } from '../../core/conversation.js';
import type { CounterStore, PubSub } from '../../core/stores.js';
import { ACTIVITY_TOPIC, ACTIVITY_WINDOW_MS, type CustomerTypingSignal } from './ephemeral.js';

export interface CustomerTypingDeps {
  pubsub: PubSub;
  counters: CounterStore;
  /** The visitor's current web-chat conversation, with its status and team; null when they have none. */
  conversationOf(visitorId: string): Promise<{ id: string; status: ConversationStatus; team: string | null; lastSeq: number } | null>;
  now?: () => Date;
}

/**
 * The customer typing in the widget, shown to the agents of the conversation's queue as
 * "Customer is typing…": only while a person handles it (queued or assigned; the bot needs no
 * hint), at most one signal per conversation and stored event every ACTIVITY_WINDOW_MS (shared counters, so on
 * every instance), on the same pub/sub topic as the agents' own activity. Never stored.
 */
export class CustomerTyping {
  constructor(private readonly deps: CustomerTypingDeps) {}

  async fromWidget(visitorId: string): Promise<void> {
    const conversation = await this.deps.conversationOf(visitorId);
    if (conversation === null || (conversation.status !== 'queued' && conversation.status !== 'assigned')) return;
    // Counted per stored event too: the customer's message ended the last "typing", so the next keystroke shows at once.
    if ((await this.deps.counters.hit(`customer-typing:${conversation.id}:${conversation.lastSeq}`, ACTIVITY_WINDOW_MS)) > 1) return;
    const signal: CustomerTypingSignal = { activity: 'customer_typing', conversationId: conversation.id, team: conversation.team, at: (this.deps.now?.() ?? new Date()).toISOString() };
    await this.deps.pubsub.publish(ACTIVITY_TOPIC, JSON.stringify(signal));
  }
}
