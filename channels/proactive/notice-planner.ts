import type { CustomerChannel } from '../../core/message.js';
import type { NotificationTransport } from '../../core/notifier.js';

/**
 * Channels a notice can go out on, in the order tried after the customer's preferred one.
 * WhatsApp only where the deployment carries it (whatsapp-notices.ts): outside its 24-hour
 * window the notice goes as the approved template, never free text.
 */
const NOTICE_CHANNELS = ['sms', 'whatsapp', 'email'] as const satisfies readonly CustomerChannel[];
type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface NoticeRecipient {
  id: string;
  email: string | null;
  phone: string | null;
  preferredChannel: CustomerChannel;
}

export type NoticePlan =
  /** `transport`: how the recipient is masked and, for SMS and email, the notifier's transport (WhatsApp is masked as a phone). */
  | { kind: 'send'; channel: NoticeChannel; transport: NotificationTransport; to: string }
  | { kind: 'skip'; reason: 'no_consent' | 'opted_out' | 'no_reachable_channel' };

export interface PlanInputs {
  customer: NoticeRecipient;
  /** Channels with a standing consent (db/consents.ts). */
  granted: readonly CustomerChannel[];
  /** Addresses that opted out on a channel (an SMS STOP, Twilio's 21610): never written to, whatever the consent says. */
  optedOut: ReadonlySet<string>;
  /** Whether a channel can carry a notice on this deployment. */
  carries(channel: NoticeChannel): boolean;
}

/** The key an opt-out is looked up by. */
export function optOutKey(channel: string, address: string): string {
  return `${channel}:${address}`;
}

/**
 * Where a notice goes: the customer's preferred channel if they consented on it, else another
 * channel they consented on; never one they opted out of, never one they did not consent on.
 */
export function planNotice(input: PlanInputs): NoticePlan {
  const { customer, granted } = input;
  if (granted.length === 0) return { kind: 'skip', reason: 'no_consent' };
  const ordered = [...NOTICE_CHANNELS].sort((a, b) => Number(b === customer.preferredChannel) - Number(a === customer.preferredChannel));
  let optedOut = false;
  for (const channel of ordered) {
    if (!granted.includes(channel) || !input.carries(channel)) continue;
    const to = channel === 'email' ? customer.email : customer.phone;
    if (to === null) continue;
    if (input.optedOut.has(optOutKey(channel, to))) {
      optedOut = true;
      continue;
    }
    return { kind: 'send', channel, transport: channel === 'email' ? 'email' : 'sms', to };
  }
  return { kind: 'skip', reason: optedOut ? 'opted_out' : 'no_reachable_channel' };
}
