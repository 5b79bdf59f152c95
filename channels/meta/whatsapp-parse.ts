import type { InboundStatusReport, ParsedInbound, RawInboundRequest } from '../../core/channel.js';
import { detailsFromZodIssues } from '../../core/errors.js';
import { ChannelInboundSchema, type ChannelInbound, type InboundContent, type InboundMediaType } from '../../core/inbound.js';
import { GRAPH_API_ORIGIN, GRAPH_API_VERSION } from './graph-client.js';
import { noteArrival } from './arrivals.js';
import { WhatsAppValueSchema, WhatsAppWebhookSchema, type WhatsAppMessage, type WhatsAppValue } from './wire.js';

const MEDIA_TYPES: readonly InboundMediaType[] = ['image', 'video', 'audio', 'document', 'sticker'];

/**
 * A Cloud API webhook: any number of entries, changes and messages for any number of customers.
 * Messages are returned oldest first per customer (stable, so one customer's messages keep the
 * order Meta listed them in); the intake stores them in that order and each customer's turns run
 * in it (db/inbound-messages.ts). Changes for another phone number of the account, and fields
 * other than `messages`, are skipped: we can only answer from the configured number.
 */
export function parseWhatsAppWebhook(request: RawInboundRequest, phoneNumberId: string): ParsedInbound {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { kind: 'invalid', details: [{ path: 'body', message: 'is not valid JSON' }] };
  }
  const webhook = WhatsAppWebhookSchema.safeParse(json);
  if (!webhook.success) return { kind: 'invalid', details: detailsFromZodIssues(webhook.error.issues) };
  const messages: Array<{ message: ChannelInbound; sentAt: number }> = [];
  const reports: InboundStatusReport[] = [];
  for (const [e, entry] of webhook.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      if (change.field !== 'messages') continue;
      const value = WhatsAppValueSchema.safeParse(change.value);
      if (!value.success) return { kind: 'invalid', details: detailsFromZodIssues(value.error.issues, `entry.${e}.changes.${c}.value`) };
      if (value.data.metadata.phone_number_id !== phoneNumberId) continue;
      for (const status of value.data.statuses ?? []) {
        if (status.status === 'delivered' || status.status === 'read' || status.status === 'failed') reports.push({ providerMessageId: status.id, report: status.status });
      }
      for (const [m, message] of (value.data.messages ?? []).entries()) {
        const parsed = inboundOf(message, value.data, request.receivedAt, phoneNumberId);
        if (parsed === null) continue;
        if ('details' in parsed) return { kind: 'invalid', details: parsed.details.map((d) => ({ ...d, path: `entry.${e}.changes.${c}.value.messages.${m}.${d.path}` })) };
        messages.push(parsed);
      }
    }
  }
  if (messages.length === 0 && reports.length === 0) return { kind: 'ignored', reason: 'nothing_for_this_number' };
  if (messages.length === 0) return { kind: 'status_reports', reports };
  const ordered = messages.sort((a, b) => a.sentAt - b.sentAt).map((m) => m.message);
  return { kind: 'messages', messages: ordered, ...(reports.length > 0 ? { reports } : {}) };
}

type Parsed = { message: ChannelInbound; sentAt: number } | { details: Array<{ path: string; message: string }> } | null;

function inboundOf(message: WhatsAppMessage, value: WhatsAppValue, receivedAt: Date, phoneNumberId: string): Parsed {
  // The wa_id keys the customer while WhatsApp gives it; a business-scoped user id (`US.…`)
  // when the phone number is withheld. Given both, both name the same contact.
  const contact = (value.contacts ?? []).find((c) => (message.from !== undefined && c.wa_id === message.from) || (message.from_user_id !== undefined && c.user_id === message.from_user_id)) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const waId = message.from ?? contact?.wa_id;
  const userId = message.from_user_id ?? contact?.user_id;
  const senderId = waId ?? userId;
  if (senderId === undefined) return { details: [{ path: 'from', message: 'is required (or from_user_id)' }] };
  const content = contentOf(message);
  // A reaction, an unsupported type, a system notice: acknowledged, not a customer's words.
  if (content === null) return null;
  const sentAt = Math.min(Number(message.timestamp) * 1000, receivedAt.getTime());
  const displayName = contact?.profile?.name;
  const normalized = ChannelInboundSchema.safeParse({
    channel: 'whatsapp',
    providerMessageId: message.id,
    sender: { id: senderId, ...(displayName !== undefined && displayName !== '' ? { displayName } : {}) },
    content,
    receivedAt: receivedAt.toISOString(),
  });
  if (!normalized.success) return { details: detailsFromZodIssues(normalized.error.issues) };
  noteArrival(normalized.data, { business: phoneNumberId, sentAt: new Date(sentAt), ...(waId !== undefined && userId !== undefined && userId !== senderId ? { alias: userId } : {}) });
  return { message: normalized.data, sentAt };
}

function contentOf(message: WhatsAppMessage): InboundContent | null {
  switch (message.type) {
    case 'text':
      return message.text === undefined ? null : { kind: 'text', text: message.text.body };
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply === undefined ? null : { kind: 'choice_answer', payload: reply.id, label: reply.title };
    }
    case 'button':
      return message.button === undefined ? null : { kind: 'choice_answer', payload: message.button.payload, label: message.button.text };
    case 'location':
      return message.location === undefined
        ? null
        : {
            kind: 'location',
            latitude: message.location.latitude,
            longitude: message.location.longitude,
            ...(message.location.name !== undefined ? { name: message.location.name } : {}),
            ...(message.location.address !== undefined ? { address: message.location.address } : {}),
          };
    default: {
      const mediaType = MEDIA_TYPES.find((t) => t === message.type);
      const media = mediaType === undefined ? undefined : message[mediaType];
      if (mediaType === undefined || media === undefined) return null;
      // The Graph node of the media, not a download link: fetching it takes the access token and an allow-list.
      return {
        kind: 'media',
        mediaType,
        mimeType: media.mime_type.split(';')[0]!.trim(),
        url: `${GRAPH_API_ORIGIN}/${GRAPH_API_VERSION}/${encodeURIComponent(media.id)}`,
        ...(media.caption !== undefined ? { caption: media.caption } : {}),
      };
    }
  }
}
