import { z } from 'zod';
import { assertNever, ChannelNameSchema, type InboundMessage } from './message.js';
import { StorableTextSchema } from './text.js';
import { TimeZoneSchema } from './time-zone.js';

/** Longest text a customer's message may carry into the pipeline, whatever the channel allows. */
export const MAX_INBOUND_TEXT = 4000;

/** What kind of file a customer sent; the MIME type says more. */
export const InboundMediaTypeSchema = z.enum(['image', 'video', 'audio', 'document', 'sticker']);
export type InboundMediaType = z.infer<typeof InboundMediaTypeSchema>;

/**
 * What a customer sent, as a closed set of kinds: the rest of the pipeline never sees a provider
 * format. A media URL is the provider's and is never fetched without an allow-list (SSRF).
 */
export const InboundContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: StorableTextSchema.max(MAX_INBOUND_TEXT) }),
  /**
   * A quick reply or button the customer pressed: the option's value, and the label they saw
   * (what the transcript shows). Typed answers to a numbered list arrive as `text`; the choice
   * resolver maps them to the option.
   */
  z.object({ kind: z.literal('choice_answer'), payload: StorableTextSchema.min(1).max(500), label: StorableTextSchema.max(MAX_INBOUND_TEXT) }),
  z.object({
    kind: z.literal('media'),
    mediaType: InboundMediaTypeSchema,
    mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/jpeg').max(100),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    caption: StorableTextSchema.max(MAX_INBOUND_TEXT).optional(),
  }),
  z.object({
    kind: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: StorableTextSchema.max(200).optional(),
    address: StorableTextSchema.max(500).optional(),
  }),
]);
export type InboundContent = z.infer<typeof InboundContentSchema>;
export type InboundContentKind = InboundContent['kind'];

/** Who sent it, as the channel identifies them: one contact identity per channel + id. */
export const InboundSenderSchema = z.object({
  /** E.164 phone, web visitor id, WhatsApp id, the test channel's user id. */
  id: StorableTextSchema.min(1).max(200),
  displayName: StorableTextSchema.max(200).optional(),
});
export type InboundSender = z.infer<typeof InboundSenderSchema>;

/**
 * One message a connector parsed from its provider's request. Stored as JSON between the
 * acknowledgement and the turn, so every field is plain data.
 */
export const ChannelInboundSchema = z.object({
  channel: ChannelNameSchema,
  /** The provider's own id for the message (Twilio MessageSid, WhatsApp wamid): the idempotency key. */
  providerMessageId: StorableTextSchema.min(1).max(200),
  sender: InboundSenderSchema,
  content: InboundContentSchema,
  locale: StorableTextSchema.max(20).optional(),
  /** The sender's IANA time zone, when the channel knows it (web chat: the browser's). */
  timeZone: TimeZoneSchema.optional(),
  /**
   * Every file the message carried, as the provider listed it (Twilio: NumMedia, MediaUrlN,
   * MediaContentTypeN); `content` shows the first. The URLs are the provider's, fetched only
   * through the channel's own allow-listed fetcher; `sizeBytes` once fetched.
   */
  attachments: z
    .array(z.object({ mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/jpeg').max(100), url: z.url({ protocol: /^https?$/ }).max(2000), sizeBytes: z.number().int().min(0).optional() }))
    .max(10)
    .optional(),
  /** When Switchboard received it (ISO 8601), not the provider's clock. */
  receivedAt: z.iso.datetime({ offset: true }),
});
export type ChannelInbound = z.infer<typeof ChannelInboundSchema>;

/**
 * What the turn reads of a message. The turn and the `user_said` event know text and a payload
 * only, so media and locations reach them as their text form (a caption or URL, a place or
 * coordinates); when the event log carries the kinds themselves, this is where it changes.
 */
export function toTurnMessage(inbound: ChannelInbound, extra: { clientIp?: string } = {}): InboundMessage {
  const { content } = inbound;
  const said = ((): { text: string; payload?: string } => {
    switch (content.kind) {
      case 'text':
        return { text: content.text };
      case 'choice_answer':
        return { text: content.label, payload: content.payload };
      case 'media':
        return { text: content.caption !== undefined && content.caption !== '' ? `${content.caption}\n${content.url}` : content.url };
      case 'location':
        return { text: [content.name, content.address, `${content.latitude},${content.longitude}`].filter((part) => part !== undefined && part !== '').join('\n') };
      default:
        return assertNever(content);
    }
  })();
  return {
    channel: inbound.channel,
    providerMessageId: inbound.providerMessageId,
    senderId: inbound.sender.id,
    text: said.text.slice(0, MAX_INBOUND_TEXT),
    ...(said.payload !== undefined ? { payload: said.payload } : {}),
    ...(inbound.sender.displayName !== undefined ? { displayName: inbound.sender.displayName } : {}),
    ...(inbound.locale !== undefined ? { locale: inbound.locale } : {}),
    ...(inbound.timeZone !== undefined ? { timeZone: inbound.timeZone } : {}),
    ...(extra.clientIp !== undefined ? { clientIp: extra.clientIp } : {}),
    receivedAt: new Date(inbound.receivedAt),
  };
}
