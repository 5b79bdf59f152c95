import type { PubSub, Unsubscribe } from '../../core/stores.js';
import type { Gate, MemorySpace, Subscription } from './space.js';

export type HandlerErrorReporter = (error: unknown, topic: string) => void;

/**
 * Fan-out inside one process. Delivery is asynchronous, as it is over Redis, so a
 * publisher never runs subscriber code on its own stack and a throwing handler can't
 * break the publish or the other handlers.
 */
export class MemoryPubSub implements PubSub {
  private readonly mine = new Map<Subscription, string>();

  constructor(
    private readonly space: MemorySpace,
    private readonly gate: Gate,
    private readonly onHandlerError: HandlerErrorReporter,
  ) {}

  async publish(topic: string, message: string): Promise<void> {
    this.gate.assertOpen('pubsub.publish');
    const subscribers = this.space.topics.get(topic);
    if (subscribers === undefined) return;
    for (const subscription of [...subscribers]) {
      queueMicrotask(() => {
        if (!subscribers.has(subscription)) return; // unsubscribed meanwhile
        try {
          subscription.handler(message);
        } catch (error) {
          this.onHandlerError(error, topic);
        }
      });
    }
  }

  async subscribe(topic: string, handler: (message: string) => void): Promise<Unsubscribe> {
    this.gate.assertOpen('pubsub.subscribe');
    const subscription: Subscription = { owner: this, handler };
    let subscribers = this.space.topics.get(topic);
    if (subscribers === undefined) {
      subscribers = new Set();
      this.space.topics.set(topic, subscribers);
    }
    subscribers.add(subscription);
    this.mine.set(subscription, topic);
    return async () => this.remove(subscription);
  }

  /** Drops every subscription this backend made (its server went away). */
  abandon(): void {
    for (const subscription of [...this.mine.keys()]) this.remove(subscription);
  }

  private remove(subscription: Subscription): void {
    const topic = this.mine.get(subscription);
    if (topic === undefined) return;
    this.mine.delete(subscription);
    const subscribers = this.space.topics.get(topic);
    subscribers?.delete(subscription);
    if (subscribers?.size === 0) this.space.topics.delete(topic);
  }
}
