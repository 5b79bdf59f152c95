import type { ChannelCapabilities, ChannelPlugin } from '../../core/channel.js';
import type { ChannelInbound } from '../../core/inbound.js';
import type { PubSub } from '../../core/stores.js';
import { RICH_CAPABILITIES } from '../degrade.js';
import { WebchatSender } from './sender.js';

/** The widget renders every kind, escapes all text and interprets no markup. */
export const WEBCHAT_CAPABILITIES: ChannelCapabilities = { ...RICH_CAPABILITIES, markup: 'plain' };

/**
 * Web chat on the channel contract. It has no webhook: the customer's own browser posts with a
 * session token (that is its verification), the message is normalized like any channel's, the
 * turn runs inside the request so the widget reads the replies in the response, and the replies
 * are delivered through the sender (a publish to the visitor's socket) with a receipt.
 */
export function webchatChannel(pubsub: PubSub): ChannelPlugin {
  return { channel: 'webchat', capabilities: WEBCHAT_CAPABILITIES, sender: new WebchatSender(pubsub) };
}

/** A validated widget message as the normalized inbound message; the visitor id comes from the verified token. */
export function webchatInbound(visitorId: string, message: { id: string; text: string; payload?: string | undefined; timeZone?: string | undefined }, receivedAt: Date): ChannelInbound {
  return {
    channel: 'webchat',
    // Client ids are chosen by the widget: scoped by visitor so two visitors cannot collide.
    providerMessageId: `${visitorId}:${message.id}`,
    sender: { id: visitorId },
    content:
      message.payload !== undefined && message.payload !== ''
        ? { kind: 'choice_answer', payload: message.payload, label: message.text }
        : { kind: 'text', text: message.text },
    ...(message.timeZone !== undefined ? { timeZone: message.timeZone } : {}),
    receivedAt: receivedAt.toISOString(),
  };
}
