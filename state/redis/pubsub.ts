import type { PubSub, Unsubscribe } from '../../core/stores.js';
import { call, type RedisConnection } from './connection.js';

export type HandlerErrorReporter = (error: unknown, topic: string) => void;

/**
 * Topics over Redis channels. A subscribed connection can run nothing else, so subscriptions
 * live on a dedicated one; each topic holds one Redis subscription however many local
 * handlers it has, and the client re-subscribes by itself after a reconnect.
 */
export class RedisPubSub implements PubSub {
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  // One stable listener per topic: the client keeps listeners in a Set, so a repeated
  // SUBSCRIBE after a failed UNSUBSCRIBE can never double the deliveries.
  private readonly listeners = new Map<string, (message: string) => void>();
  // SUBSCRIBE/UNSUBSCRIBE of one topic must reach Redis in the order they were asked for.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly prefix: string,
    private readonly onHandlerError: HandlerErrorReporter,
  ) {}

  async publish(topic: string, message: string): Promise<void> {
    await call('pubsub.publish', () => this.client.publish(this.channel(topic), message));
  }

  subscribe(topic: string, handler: (message: string) => void): Promise<Unsubscribe> {
    // Each subscribe gets its own entry, so subscribing one function twice unsubscribes cleanly.
    const entry = (message: string): void => handler(message);
    return this.inOrder(async () => {
      let set = this.handlers.get(topic);
      if (set === undefined) {
        await call('pubsub.subscribe', () => this.subscriber.subscribe(this.channel(topic), this.listener(topic)));
        set = new Set();
        this.handlers.set(topic, set);
      }
      set.add(entry);
      let done = false;
      return () => {
        if (done) return Promise.resolve();
        done = true;
        return this.inOrder(() => this.forget(topic, entry));
      };
    });
  }

  clear(): void {
    this.handlers.clear();
  }

  private async forget(topic: string, entry: (message: string) => void): Promise<void> {
    const set = this.handlers.get(topic);
    if (set === undefined) return;
    set.delete(entry);
    if (set.size > 0) return;
    this.handlers.delete(topic);
    await call('pubsub.unsubscribe', () => this.subscriber.unsubscribe(this.channel(topic), this.listener(topic)));
    this.listeners.delete(topic);
  }

  private listener(topic: string): (message: string) => void {
    let listener = this.listeners.get(topic);
    if (listener === undefined) {
      listener = (message) => this.dispatch(topic, message);
      this.listeners.set(topic, listener);
    }
    return listener;
  }

  private dispatch(topic: string, message: string): void {
    for (const handler of [...(this.handlers.get(topic) ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        this.onHandlerError(error, topic);
      }
    }
  }

  private inOrder<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private channel(topic: string): string {
    return `${this.prefix}topic:${topic}`;
  }
}
