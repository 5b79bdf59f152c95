import { ChannelInboundSchema, MAX_INBOUND_TEXT, type ChannelInbound } from '../../core/inbound.js';
import type { WhatsAppWebMessage } from './wire.js';

/** Why a message is not taken: codes, logged; nothing about its content. */
export type WhatsAppWebSkip = 'status_broadcast' | 'group_chat' | 'from_self' | 'unsupported_type' | 'empty' | 'invalid';

export type WhatsAppWebParsed = { kind: 'message'; message: ChannelInbound } | { kind: 'skipped'; reason: WhatsAppWebSkip };

/** A chat id of one person: `<digits>@c.us` (a phone-number id) or `<id>@lid` (WhatsApp's privacy id). */
const PERSON_CHAT = /^(\d{5,20})@(c\.us|lid)$/;

/**
 * The customer's id on the `whatsapp` channel, the same as the Cloud API gives the same person
 * (their number's digits, Meta's `wa_id`): a shop moving from WhatsApp Web to the Cloud API on
 * its number keeps each customer's contact and history, and phone matching (bots/phone-identity.ts)
 * reads it as the number. A privacy id (`@lid`) whose number WhatsApp does not tell stays the whole
 * chat id: still one identity per customer, just not a phone number.
 */
export function senderIdOf(chatId: string, phone: string | null): string {
  if (phone !== null) return phone;
  const match = PERSON_CHAT.exec(chatId);
  return match?.[2] === 'c.us' && match[1] !== undefined ? match[1] : chatId;
}

/** Where a reply to a sender id goes: the chat id itself, or the number's `@c.us` chat. */
export function chatIdOf(senderId: string): string {
  return senderId.includes('@') ? senderId : `${senderId}@c.us`;
}

/**
 * One whatsapp-web.js `message` event as a normalized message, or why it is skipped: status
 * updates (stories), group chats and our own messages are never answered. Text and locations are
 * taken; a photo or file is taken by its caption (the media itself stays on the phone: whatsapp-web.js
 * gives no URL to fetch), and skipped without one.
 */
export async function parseWhatsAppWebMessage(
  msg: WhatsAppWebMessage,
  context: { receivedAt: Date; phoneOf: (chatId: string) => Promise<string | null> },
): Promise<WhatsAppWebParsed> {
  if (msg.isStatus || msg.from === 'status@broadcast') return { kind: 'skipped', reason: 'status_broadcast' };
  if (msg.fromMe) return { kind: 'skipped', reason: 'from_self' };
  if (!PERSON_CHAT.test(msg.from) || (await msg.getChat()).isGroup) return { kind: 'skipped', reason: 'group_chat' };
  const content = contentOf(msg);
  if (content === null) return { kind: 'skipped', reason: msg.type === 'chat' || msg.hasMedia ? 'empty' : 'unsupported_type' };
  const phone = msg.from.endsWith('@lid') ? await context.phoneOf(msg.from) : null;
  const parsed = ChannelInboundSchema.safeParse({
    channel: 'whatsapp',
    providerMessageId: msg.id._serialized,
    sender: { id: senderIdOf(msg.from, phone) },
    content,
    receivedAt: context.receivedAt.toISOString(),
  });
  return parsed.success ? { kind: 'message', message: parsed.data } : { kind: 'skipped', reason: 'invalid' };
}

function contentOf(msg: WhatsAppWebMessage): ChannelInbound['content'] | null {
  if (msg.type === 'location' && msg.location !== undefined) {
    const { latitude, longitude, name, address } = msg.location;
    return { kind: 'location', latitude: Number(latitude), longitude: Number(longitude), ...(name ? { name } : {}), ...(address ? { address } : {}) };
  }
  const text = msg.body.trim().slice(0, MAX_INBOUND_TEXT);
  if (text === '') return null;
  if (msg.type === 'chat' || msg.hasMedia) return { kind: 'text', text };
  return null;
}
