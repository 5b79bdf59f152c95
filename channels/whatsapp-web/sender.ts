import { DeliveryError, type ChannelCapabilities, type ChannelSender, type DeliveryAddress, type DeliveryReceipt } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../../core/message.js';
import { renderFor } from '../degrade.js';
import { chatIdOf } from './parse.js';
import type { WhatsAppWebClient } from './wire.js';

/**
 * Text only: whatsapp-web.js's Buttons and List are deprecated (WhatsApp no longer shows them to
 * linked devices), so a choice reaches the customer as a numbered list they answer by number or
 * label. 4,096 characters is WhatsApp's limit for one message.
 */
export const WHATSAPP_WEB_CAPABILITIES: ChannelCapabilities = {
  kinds: new Set<OutboundKind>(['text']),
  maxTextLength: 4096,
  maxButtons: 0,
  markup: 'plain',
};

/**
 * Sends replies through the logged-in WhatsApp Web session, `client.sendMessage(chatId, text)`
 * per part. Nothing is tried while the session is not ready (retried later, nothing was sent); a
 * send that throws may have left the browser, and WhatsApp Web has no idempotency key, so it is
 * never repeated blindly: it ends `failed` with `unknown_outcome`.
 */
export class WhatsAppWebSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;
  readonly renders = WHATSAPP_WEB_CAPABILITIES.kinds;
  readonly dedupesByIdempotencyKey = false;

  constructor(private readonly deps: { client: WhatsAppWebClient; ready: () => boolean }) {}

  async send(address: DeliveryAddress, message: OutboundMessage): Promise<DeliveryReceipt> {
    if (!this.deps.ready()) throw new DeliveryError({ kind: 'unavailable' });
    const parts = renderFor(message, WHATSAPP_WEB_CAPABILITIES).map((part) => (part.kind === 'text' ? part.text : degradeToText(part)));
    const chatId = chatIdOf(address.senderId);
    let receipt: DeliveryReceipt | null = null;
    for (const part of parts) {
      try {
        const sent = await this.deps.client.sendMessage(chatId, part);
        // The first part's id: acknowledgements of it report the message delivered or read.
        receipt ??= { providerMessageId: sent.id._serialized };
      } catch (error) {
        throw new DeliveryError({ kind: 'unknown_outcome' }, { cause: error });
      }
    }
    if (receipt === null) throw new DeliveryError({ kind: 'rejected', providerCode: 'empty_message' });
    return receipt;
  }
}
