import { DeliveryError, type ChannelCapabilities, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../../core/message.js';
import { renderFor } from '../degrade.js';
import type { WindowState } from '../messaging-window.js';
import type { GraphApiClient } from './graph-client.js';
import type { WhatsAppTemplate, WhatsAppTemplates } from './templates.js';
import { WhatsAppSendAnswerSchema } from './wire.js';

/** Cloud API limits: reply buttons (at most 3, titles of 20), list rows (at most 10, titles of 24, ids of 200). */
export const WHATSAPP_LIMITS = { buttons: 3, buttonTitle: 20, buttonBody: 1024, rows: 10, rowTitle: 24, rowId: 200, text: 4096 } as const;

/** Text and choices natively (a choice as reply buttons or a list); everything else as text. */
export const WHATSAPP_CAPABILITIES: ChannelCapabilities = {
  kinds: new Set<OutboundKind>(['text', 'choice', 'template']),
  maxTextLength: WHATSAPP_LIMITS.text,
  maxButtons: WHATSAPP_LIMITS.rows,
  markup: 'plain',
};

/** The customer-service window of one customer of the configured number. */
export type WindowLookup = (customer: string) => Promise<WindowState>;

export interface WhatsAppCloudSenderOptions {
  client: GraphApiClient;
  /** WHATSAPP_PHONE_NUMBER_ID: the number replies come from. */
  phoneNumberId: string;
  window: WindowLookup;
  /** The list's button label (copy: set by the connector from the message catalogue). */
  listButton?: string;
  /** The approved templates (channels/meta/templates.yaml or WHATSAPP_TEMPLATES_FILE). */
  templates: WhatsAppTemplates;
}

/**
 * Replies through the WhatsApp Cloud API (`POST /{phone-number-id}/messages`). A free-form
 * message goes out only inside the customer-service window: outside it the send is refused
 * here, as Meta would (131047), and only a template may follow. The Cloud API takes no
 * idempotency key, so a send whose answer was lost is never repeated blindly.
 */
export class WhatsAppCloudSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;
  readonly renders = WHATSAPP_CAPABILITIES.kinds;
  readonly dedupesByIdempotencyKey = false;

  constructor(private readonly options: WhatsAppCloudSenderOptions) {}

  async send(address: DeliveryAddress, message: OutboundMessage, _context: SendContext): Promise<DeliveryReceipt> {
    // A template is what may go outside the window; Meta checks its approval.
    if (message.kind === 'template') return this.post(address.senderId, templateContent(this.options.templates.of(message.use), message.parameters));
    const window = await this.options.window(address.senderId);
    if (window.kind !== 'open') throw new DeliveryError({ kind: 'rejected', providerCode: 'outside_window' });
    let first: DeliveryReceipt | null = null;
    for (const part of renderFor(message, WHATSAPP_CAPABILITIES)) {
      const receipt = await this.post(address.senderId, whatsAppContent(part, this.options.listButton ?? 'Options'));
      first ??= receipt;
    }
    if (first === null) throw new DeliveryError({ kind: 'rejected', providerCode: 'empty' });
    return first;
  }

  /** One Cloud API message to `to` (a wa_id, or a business-scoped `US.…` id when the phone is withheld). */
  async post(to: string, content: Record<string, unknown>): Promise<DeliveryReceipt> {
    const recipient = /^\d{6,15}$/.test(to) ? { to } : { recipient: to };
    const answer = await this.options.client.postMessages(this.options.phoneNumberId, { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient, ...content });
    const parsed = WhatsAppSendAnswerSchema.safeParse(answer);
    // Accepted without an id: it was sent, and we could not recognise its statuses.
    if (!parsed.success) throw new DeliveryError({ kind: 'unknown_outcome' });
    return { providerMessageId: parsed.data.messages[0]!.id };
  }
}

/** The Cloud API's template message: the approved name and language, the body's parameters in order. */
export function templateContent(template: WhatsAppTemplate, parameters: readonly string[]): Record<string, unknown> {
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(parameters.length > 0 ? { components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}

/** The Cloud API's message object for one rendered part. */
export function whatsAppContent(part: OutboundMessage, listButton: string): Record<string, unknown> {
  if (part.kind === 'choice') {
    const { options } = part;
    if (options.length <= WHATSAPP_LIMITS.buttons && part.text.length <= WHATSAPP_LIMITS.buttonBody && options.every((o) => o.label.length <= WHATSAPP_LIMITS.buttonTitle && o.value.length <= 256)) {
      return {
        type: 'interactive',
        interactive: { type: 'button', body: { text: part.text }, action: { buttons: options.map((o) => ({ type: 'reply', reply: { id: o.value, title: o.label } })) } },
      };
    }
    if (options.length <= WHATSAPP_LIMITS.rows && options.every((o) => o.label.length <= WHATSAPP_LIMITS.rowTitle && o.value.length <= WHATSAPP_LIMITS.rowId)) {
      return {
        type: 'interactive',
        interactive: { type: 'list', body: { text: part.text }, action: { button: listButton.slice(0, WHATSAPP_LIMITS.buttonTitle), sections: [{ rows: options.map((o) => ({ id: o.value, title: o.label })) }] } },
      };
    }
  }
  // Too many options or too long for buttons and lists: a numbered list, which the choice resolver reads back.
  return { type: 'text', text: { body: part.kind === 'text' ? part.text : degradeToText(part), preview_url: false } };
}
