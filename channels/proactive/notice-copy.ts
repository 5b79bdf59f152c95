import type { ShopEventKind } from './shop-event-schema.js';

/** What a proactive notice carries into its words: no address, no items, only what the order number already tells its owner. */
export interface NoticeFacts {
  shopName: string;
  orderNumber: string;
  estimatedDelivery: Date | null;
  trackingUrl: string | null;
  timeZone: string;
}

function day(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric' }).format(at);
}

/** The customer-facing words of each notice (and of the consent replies in conversation). */
export const PROACTIVE_COPY = {
  notice(kind: ShopEventKind, f: NoticeFacts): { subject: string; body: string } {
    const expected = f.estimatedDelivery !== null ? ` Expected ${day(f.estimatedDelivery, f.timeZone)}.` : '';
    const track = f.trackingUrl !== null ? ` Track it: ${f.trackingUrl}` : '';
    const stop = ' Reply STOP UPDATES to stop these messages.';
    switch (kind) {
      case 'shipped':
        return { subject: `Order ${f.orderNumber} has shipped`, body: `${f.shopName}: your order ${f.orderNumber} has shipped.${expected}${track}${stop}` };
      case 'out_for_delivery':
        return { subject: `Order ${f.orderNumber} is out for delivery`, body: `${f.shopName}: your order ${f.orderNumber} is out for delivery today.${track}${stop}` };
      case 'delayed':
        return { subject: `Order ${f.orderNumber} is delayed`, body: `${f.shopName}: sorry, your order ${f.orderNumber} is delayed.${expected}${track}${stop}` };
      case 'delivered':
        return { subject: `Order ${f.orderNumber} was delivered`, body: `${f.shopName}: your order ${f.orderNumber} was delivered. Questions? Just reply here.${stop}` };
      default: {
        const unknown: never = kind;
        throw new Error(`unknown notice kind ${String(unknown)}`);
      }
    }
  },
  /** The status in the WhatsApp shipping_update template ("your order … has an update: {{4}}"). */
  templateStatus(kind: ShopEventKind): string {
    switch (kind) {
      case 'shipped':
        return 'it has shipped';
      case 'out_for_delivery':
        return 'it is out for delivery today';
      case 'delayed':
        return 'it is delayed';
      case 'delivered':
        return 'it was delivered';
      default: {
        const unknown: never = kind;
        throw new Error(`unknown notice kind ${String(unknown)}`);
      }
    }
  },
  consentGranted: (channelLabel: string) => `Done: I'll send you order updates (shipped, out for delivery, delays, delivered) by ${channelLabel}. Say "stop updates" any time to stop them.`,
  consentWithdrawn: (channelLabel: string) => `Okay, no more order updates by ${channelLabel}. You can still ask me about your orders here any time.`,
  consentNeedsCustomer: 'I can send you order updates once I know which account is yours. What is your order number?',
} as const;
