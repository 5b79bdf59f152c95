import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ConversationEvent } from '../core/conversation.js';
import type { ChannelName } from '../core/message.js';
import { customersByContact } from '../crm/contact-lookup.js';
import type { Database } from '../db/schema.js';

/**
 * Channels whose sender id is the customer's phone number. `test` is the loopback connector: a
 * sender id there counts only when it is a valid E.164 number, as on SMS.
 */
const PHONE_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>(['sms', 'whatsapp', 'test']);

/**
 * The E.164 number a sender writes from, or null: Twilio's `whatsapp:+1…` addresses and Meta's
 * bare WhatsApp ids (`14155550101`) are the same number. Only a number that is valid as written
 * counts (no region guessed), and never on a channel whose ids are not phone numbers.
 */
export function senderPhone(channel: ChannelName, senderId: string): string | null {
  if (!PHONE_CHANNELS.has(channel)) return null;
  const bare = senderId.trim().replace(/^whatsapp:/i, '');
  const e164 = /^\d{8,15}$/.test(bare) && channel === 'whatsapp' ? `+${bare}` : bare;
  if (!/^\+\d{8,15}$/.test(e164)) return null;
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() === true && parsed.number === e164 ? e164 : null;
}

export type PhoneMatch =
  /** Exactly one customer has this number, and it is not marked shared. */
  | { kind: 'one'; customerId: string }
  /** A household line or a number several profiles hold: it selects nobody. */
  | { kind: 'several' }
  | { kind: 'none' };

/** Who a phone number belongs to, by the customer profiles (crm/contact-lookup.ts). */
export class PhoneDirectory {
  constructor(private readonly db: Kysely<Database>) {}

  async match(phone: string): Promise<PhoneMatch> {
    const profiles = await customersByContact(this.db, 'phone', phone);
    if (profiles.length === 0) return { kind: 'none' };
    const [only] = profiles;
    return profiles.length === 1 && only !== undefined && !only.shared ? { kind: 'one', customerId: only.customerId } : { kind: 'several' };
  }
}

/**
 * "Who is writing": a message from a phone number on file for exactly one customer records a
 * `customer_matched` event, so the conversation's identity is `phone_matched` (enough to read
 * order status and delivery information; the identity gate still asks for a code before any
 * change). Nothing is recorded for a shared number or one nobody has, so the gate asks for the
 * order number as always. Runs once per conversation while nobody is identified.
 */
export async function phoneMatchEvents(
  directory: Pick<PhoneDirectory, 'match'>,
  input: { channel: ChannelName; senderId: string; identity: { level: string }; at: string },
): Promise<ConversationEvent[]> {
  if (input.identity.level !== 'anonymous') return [];
  const phone = senderPhone(input.channel, input.senderId);
  if (phone === null) return [];
  const match = await directory.match(phone);
  return match.kind === 'one' ? [{ at: input.at, type: 'customer_matched', customerId: match.customerId, via: 'phone' }] : [];
}
