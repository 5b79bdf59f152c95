import type { ChannelName, OutboundKind, OutboundMessage } from './message.js';

/** Where a reply goes: the conversation and the customer's id on that channel. */
export interface DeliveryAddress {
  conversationId: string;
  channel: ChannelName;
  senderId: string;
}

/**
 * The outbound half of a channel plug-in. A channel declares the message kinds it renders
 * natively; everything else reaches it already degraded to text, so a text-only channel
 * implements one method.
 */
export interface ChannelSender {
  readonly channel: ChannelName;
  readonly renders: ReadonlySet<OutboundKind>;
  send(address: DeliveryAddress, message: OutboundMessage, meta: { seq: number; author: 'bot' | 'agent' }): Promise<void>;
}
