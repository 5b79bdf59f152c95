import type { InboundStatusReport, ParsedInbound, RawInboundRequest } from '../../core/channel.js';
import { detailsFromZodIssues } from '../../core/errors.js';
import { ChannelInboundSchema, type ChannelInbound, type InboundContent, type InboundMediaType } from '../../core/inbound.js';
import { noteArrival } from './arrivals.js';
import { MessagingWebhookSchema, type MessagingEvent } from './wire.js';

const ATTACHMENT_TYPES: Readonly<Record<string, InboundMediaType>> = { image: 'image', video: 'video', audio: 'audio', file: 'document' };
const ATTACHMENT_MIME: Readonly<Record<InboundMediaType, string>> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', document: 'application/octet-stream', sticker: 'image/webp' };

/**
 * A Messenger (`object: "page"`) or Instagram (`object: "instagram"`) webhook: entries for the
 * page or account, each with `messaging` events. Customer messages (text, a quick reply, a
 * postback button, attachments) become inbound messages, oldest first per customer; delivery
 * receipts update our outbound rows; our own messages echoed back are skipped. Events for
 * another page or account are skipped: we can only answer as the configured one.
 */
export function parseMessagingWebhook(request: RawInboundRequest, channel: 'messenger' | 'instagram', businessId: string): ParsedInbound {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { kind: 'invalid', details: [{ path: 'body', message: 'is not valid JSON' }] };
  }
  const webhook = MessagingWebhookSchema.safeParse(json);
  if (!webhook.success) return { kind: 'invalid', details: detailsFromZodIssues(webhook.error.issues) };
  if (webhook.data.object !== (channel === 'messenger' ? 'page' : 'instagram')) return { kind: 'ignored', reason: 'other_object' };
  const messages: Array<{ message: ChannelInbound; sentAt: number }> = [];
  const reports: InboundStatusReport[] = [];
  for (const [e, entry] of webhook.data.entry.entries()) {
    if (entry.id !== businessId) continue;
    for (const [m, event] of (entry.messaging ?? []).entries()) {
      for (const mid of event.delivery?.mids ?? []) reports.push({ providerMessageId: mid, report: 'delivered' });
      if (event.read?.mid !== undefined) reports.push({ providerMessageId: event.read.mid, report: 'read' });
      if (event.message?.is_echo === true || event.sender.id === businessId) continue;
      const content = contentOf(event);
      const mid = event.message?.mid ?? event.postback?.mid;
      if (content === null || mid === undefined) continue;
      const sentAt = Math.min(event.timestamp ?? request.receivedAt.getTime(), request.receivedAt.getTime());
      const normalized = ChannelInboundSchema.safeParse({ channel, providerMessageId: mid, sender: { id: event.sender.id }, content, receivedAt: request.receivedAt.toISOString() });
      if (!normalized.success) return { kind: 'invalid', details: detailsFromZodIssues(normalized.error.issues, `entry.${e}.messaging.${m}`) };
      noteArrival(normalized.data, { business: businessId, sentAt: new Date(sentAt) });
      messages.push({ message: normalized.data, sentAt });
    }
  }
  if (messages.length === 0 && reports.length === 0) return { kind: 'ignored', reason: 'nothing_for_this_account' };
  if (messages.length === 0) return { kind: 'status_reports', reports };
  return { kind: 'messages', messages: messages.sort((a, b) => a.sentAt - b.sentAt).map((x) => x.message), ...(reports.length > 0 ? { reports } : {}) };
}

function contentOf(event: MessagingEvent): InboundContent | null {
  if (event.postback !== undefined) return { kind: 'choice_answer', payload: event.postback.payload, label: event.postback.title ?? event.postback.payload };
  const message = event.message;
  if (message === undefined) return null;
  if (message.quick_reply !== undefined) return { kind: 'choice_answer', payload: message.quick_reply.payload, label: message.text ?? message.quick_reply.payload };
  if (message.text !== undefined && message.text !== '') return { kind: 'text', text: message.text };
  const attachment = message.attachments?.[0];
  const mediaType = attachment === undefined ? undefined : ATTACHMENT_TYPES[attachment.type];
  const url = attachment?.payload?.url;
  if (mediaType === undefined || typeof url !== 'string' || !/^https:\/\//.test(url)) return null;
  return { kind: 'media', mediaType, mimeType: ATTACHMENT_MIME[mediaType], url };
}
