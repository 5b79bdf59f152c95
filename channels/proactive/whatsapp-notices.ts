import type { ChannelSender } from '../../core/channel.js';
import type { OutboundMessage } from '../../core/message.js';
import type { WhatsAppTemplates } from '../meta/templates.js';
import { windowOpen, type MessagingWindowStore } from '../messaging-window.js';

/** One order notice for a WhatsApp customer: its free text, and what fills the shipping_update template. */
export interface WhatsAppNotice {
  /** The notice's key (order number + event id): the send's idempotency key. */
  key: string;
  /** The customer's phone on file, E.164. */
  phone: string;
  text: string;
  values: { customer_name: string; order_number: string; shop_name: string; status: string };
}

export interface WhatsAppNoticeReceipt {
  via: 'twilio' | 'whatsapp_cloud';
  providerMessageId: string;
  /** True when it went as the approved template (outside the 24-hour window). */
  template: boolean;
}

/** Sends proactive notices on WhatsApp (jobs/proactive-updates.ts). */
export interface WhatsAppNotices {
  send(notice: WhatsAppNotice): Promise<WhatsAppNoticeReceipt>;
}

export interface WhatsAppNoticesOptions {
  /** Which WhatsApp this deployment speaks: through Twilio (TWILIO_WHATSAPP_FROM) or Meta's Cloud API. */
  provider: 'twilio' | 'whatsapp_cloud';
  /** The WhatsApp channel's sender (channels/twilio/sender.ts or channels/meta/whatsapp-sender.ts). */
  sender: ChannelSender;
  windows: MessagingWindowStore;
  /** The business side of the window: TWILIO_WHATSAPP_FROM, or WHATSAPP_PHONE_NUMBER_ID. */
  business: string;
  templates: WhatsAppTemplates;
  now?: () => Date;
}

/**
 * A notice inside the customer's 24-hour window is its free text; outside it (or when the
 * customer never wrote on WhatsApp) it is the approved `shipping_update` template, the only
 * thing WhatsApp delivers then. It leaves through the channel's own sender, so opt-outs (and
 * Twilio's 21610) are honoured as for any reply.
 */
export function whatsappNotices(options: WhatsAppNoticesOptions): WhatsAppNotices {
  return {
    async send(notice) {
      // Twilio keys WhatsApp customers by their E.164 number; Meta by the wa_id, the same digits without '+'.
      const customer = options.provider === 'twilio' ? notice.phone : notice.phone.replace(/^\+/, '');
      const now = options.now?.() ?? new Date();
      const open = await windowOpen(options.windows, { channel: 'whatsapp', business: options.business, customer, now });
      const message: OutboundMessage = open ? { kind: 'text', text: notice.text } : { kind: 'template', use: 'shipping_update', ...options.templates.fill('shipping_update', notice.values) };
      const receipt = await options.sender.send({ conversationId: `proactive:${notice.key}`, channel: 'whatsapp', senderId: customer }, message, { seq: 0, author: 'bot', idempotencyKey: `proactive:${notice.key}` });
      return { via: options.provider, providerMessageId: receipt.providerMessageId, template: !open };
    },
  };
}
