import { DeliveryError, type ChannelCapabilities, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../../core/message.js';
import { renderFor } from '../degrade.js';
import type { GraphApiClient } from './graph-client.js';
import type { WindowLookup } from './whatsapp-sender.js';
import { MessagingSendAnswerSchema } from './wire.js';

/** Send API quick replies: at most 13, titles of 20 characters, payloads of 1000. */
export const QUICK_REPLY_LIMITS = { count: 13, title: 20, payload: 1000 } as const;

export const MESSENGER_CAPABILITIES: ChannelCapabilities = { kinds: new Set<OutboundKind>(['text', 'choice']), maxTextLength: 2000, maxButtons: QUICK_REPLY_LIMITS.count, markup: 'plain' };
/** Instagram's text limit is 1000 bytes; 1000 characters of Latin text, fewer of others: kept at 900. */
export const INSTAGRAM_CAPABILITIES: ChannelCapabilities = { kinds: new Set<OutboundKind>(['text', 'choice']), maxTextLength: 900, maxButtons: QUICK_REPLY_LIMITS.count, markup: 'plain' };

export interface MessagingSenderOptions {
  channel: 'messenger' | 'instagram';
  client: GraphApiClient;
  /** MESSENGER_PAGE_ID or INSTAGRAM_ACCOUNT_ID: the node whose `/messages` sends. */
  businessId: string;
  window: WindowLookup;
}

/**
 * Replies through the Send API of Messenger or Instagram, a choice as quick replies. Inside the
 * 24-hour standard window a message is a `RESPONSE`; after it, up to 7 days, only a person's
 * reply may go, tagged `HUMAN_AGENT`; anything else is refused here, as Meta would.
 */
export class MessagingSender implements ChannelSender {
  readonly channel: 'messenger' | 'instagram';
  readonly renders: ReadonlySet<OutboundKind>;
  readonly dedupesByIdempotencyKey = false;
  private readonly capabilities: ChannelCapabilities;

  constructor(private readonly options: MessagingSenderOptions) {
    this.channel = options.channel;
    this.capabilities = options.channel === 'messenger' ? MESSENGER_CAPABILITIES : INSTAGRAM_CAPABILITIES;
    this.renders = this.capabilities.kinds;
  }

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const window = await this.options.window(address.senderId);
    const policy = window.kind === 'open' ? { messaging_type: 'RESPONSE' } : window.kind === 'human_agent' && context.author === 'agent' ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : null;
    if (policy === null) throw new DeliveryError({ kind: 'rejected', providerCode: 'outside_window' });
    let first: DeliveryReceipt | null = null;
    for (const part of renderFor(message, this.capabilities)) {
      const answer = await this.options.client.postMessages(this.options.businessId, { recipient: { id: address.senderId }, ...policy, message: sendApiMessage(part) });
      const parsed = MessagingSendAnswerSchema.safeParse(answer);
      if (!parsed.success) throw new DeliveryError({ kind: 'unknown_outcome' });
      first ??= { providerMessageId: parsed.data.message_id };
    }
    if (first === null) throw new DeliveryError({ kind: 'rejected', providerCode: 'empty' });
    return first;
  }
}

/** The Send API's `message` for one rendered part: a choice whose options fit becomes quick replies. */
export function sendApiMessage(part: OutboundMessage): Record<string, unknown> {
  if (part.kind === 'choice' && part.options.length <= QUICK_REPLY_LIMITS.count && part.options.every((o) => o.label.length <= QUICK_REPLY_LIMITS.title && o.value.length <= QUICK_REPLY_LIMITS.payload)) {
    return { text: part.text, quick_replies: part.options.map((o) => ({ content_type: 'text', title: o.label, payload: o.value })) };
  }
  return { text: part.kind === 'text' ? part.text : degradeToText(part) };
}
