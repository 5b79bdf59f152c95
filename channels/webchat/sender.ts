import { DeliveryError, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
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
  /** The widget renders each seq once, so publishing an entry again shows nothing twice. */
  readonly dedupesByIdempotencyKey = true;
  /** A publish, not a provider call: sent by the committing instance, without the queue. */
  readonly atCommit = { receipt: webchatReceipt };

  constructor(private readonly pubsub: PubSub) {}

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const entry: WebchatEntry = { seq: context.seq, author: context.author, message };
    try {
      await this.pubsub.publish(webchatTopic(address.senderId), JSON.stringify(entry));
    } catch (error) {
      // The state backend did not take it (Redis down); publishing again is harmless, see above.
      throw new DeliveryError({ kind: 'unavailable' }, { cause: error });
    }
    return webchatReceipt(context.idempotencyKey);
  }
}

/** There is no provider here: the conversation and seq name the message uniquely. */
function webchatReceipt(idempotencyKey: string): DeliveryReceipt {
  return { providerMessageId: `webchat:${idempotencyKey}` };
}
