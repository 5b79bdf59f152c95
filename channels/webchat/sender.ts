import type { ChannelSender, DeliveryAddress } from '../../core/channel.js';
import type { OutboundKind, OutboundMessage } from '../../core/message.js';
import type { PubSub } from '../../core/stores.js';
import type { WebchatEntry } from './transcript.js';

export function webchatTopic(visitorId: string): string {
  return `webchat:${visitorId}`;
}

/**
 * Web chat renders every message kind. Delivery is a publish: whichever instance holds the
 * visitor's socket pushes it, so replies reach a socket on another server.
 */
export class WebchatSender implements ChannelSender {
  readonly channel = 'webchat' as const;
  readonly renders: ReadonlySet<OutboundKind> = new Set<OutboundKind>(['text', 'choice', 'card', 'media', 'location']);

  constructor(private readonly pubsub: PubSub) {}

  async send(address: DeliveryAddress, message: OutboundMessage, meta: { seq: number; author: 'bot' | 'agent' }): Promise<void> {
    const entry: WebchatEntry = { seq: meta.seq, author: meta.author, message };
    await this.pubsub.publish(webchatTopic(address.senderId), JSON.stringify(entry));
  }
}
