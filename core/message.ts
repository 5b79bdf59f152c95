import { z } from 'zod';
import { TimeZoneSchema } from './time-zone.js';

/** The channels customers use, and so may prefer (shop import's `preferredChannel`). */
export const CustomerChannelSchema = z.enum(['webchat', 'sms', 'whatsapp', 'teams', 'email', 'messenger', 'instagram']);
export type CustomerChannel = z.infer<typeof CustomerChannelSchema>;

/**
 * Every channel Switchboard speaks. A contact has one identity per channel. `test` is the
 * loopback connector that proves the connector contract end to end (channels/test-channel/):
 * mounted only when TEST_CHANNEL_SECRET is set, never in production.
 */
export const ChannelNameSchema = z.enum([...CustomerChannelSchema.options, 'test']);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/**
 * What every channel connector turns its provider's payload into. The rest of the
 * pipeline never sees a provider format.
 */
export const InboundMessageSchema = z.object({
  channel: ChannelNameSchema,
  /** The provider's own message id (Twilio MessageSid, WhatsApp wamid, web client id): the idempotency key. */
  providerMessageId: z.string().min(1).max(200),
  /** The sender's id on that channel (E.164 phone, web visitor id, Teams user id). */
  senderId: z.string().min(1).max(200),
  /** What the customer typed; empty when they only pressed a quick reply. */
  text: z.string().max(4000),
  /** The value of a quick reply the customer pressed, if any. */
  payload: z.string().max(500).optional(),
  displayName: z.string().max(200).optional(),
  locale: z.string().max(20).optional(),
  /** The customer's IANA time zone when the channel knows it (web chat: the browser's); times are shown in it. */
  timeZone: TimeZoneSchema.optional(),
  /**
   * The customer's own address when the channel sees it (web chat: `req.ip`, which follows
   * TRUST_PROXY), for per-IP budgets. Never a webhook's peer: that is the provider's address.
   * Not stored in the conversation.
   */
  clientIp: z.string().max(100).optional(),
  receivedAt: z.date(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const ChoiceOptionSchema = z.object({
  label: z.string().min(1).max(100),
  value: z.string().min(1).max(500),
});
export type ChoiceOption = z.infer<typeof ChoiceOptionSchema>;

/** Link to a source, e.g. a knowledge-base article the answer cites. */
export const LinkSchema = z.object({ title: z.string(), url: z.string() });

/**
 * What an approved template is for (WhatsApp: the only messages allowed outside the 24-hour
 * window; channels/meta/templates.yaml maps each use to a template name, language and parameters).
 */
export const TemplateUseSchema = z.enum(['shipping_update', 'follow_up', 'csat']);
export type TemplateUse = z.infer<typeof TemplateUseSchema>;

/** The closed set of message kinds a bot or agent can send. */
export const OutboundMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1) }),
  z.object({ kind: z.literal('choice'), text: z.string().min(1), options: z.array(ChoiceOptionSchema).min(1).max(10) }),
  z.object({
    kind: z.literal('card'),
    title: z.string().min(1),
    text: z.string(),
    link: LinkSchema.optional(),
    imageUrl: z.string().optional(),
  }),
  z.object({ kind: z.literal('media'), url: z.string(), mimeType: z.string(), caption: z.string().optional() }),
  z.object({
    kind: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
  }),
  /**
   * An approved template: `text` is what the customer reads (the transcript shows it, and a
   * channel without templates gets it as text); `parameters` fill the template's placeholders in order.
   */
  z.object({ kind: z.literal('template'), use: TemplateUseSchema, text: z.string().min(1), parameters: z.array(z.string().min(1).max(1024)).max(10) }),
]);
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;
export type OutboundKind = OutboundMessage['kind'];

/** Who wrote a message in a transcript. */
export const AuthorSchema = z.enum(['customer', 'bot', 'agent', 'system']);
export type Author = z.infer<typeof AuthorSchema>;

/**
 * The plain-text rendering every channel can show. Richer channels render the
 * message natively; a text-only channel only ever needs this.
 */
export function degradeToText(message: OutboundMessage): string {
  switch (message.kind) {
    case 'text':
      return message.text;
    case 'choice':
      return `${message.text}\n${message.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
    case 'card':
      return [message.title, message.text, message.link ? `${message.link.title}: ${message.link.url}` : '']
        .filter((part) => part !== '')
        .join('\n');
    case 'media':
      return message.caption ? `${message.caption}\n${message.url}` : message.url;
    case 'location':
      return `${message.name ? `${message.name}: ` : ''}https://www.openstreetmap.org/?mlat=${message.latitude}&mlon=${message.longitude}`;
    case 'template':
      return message.text;
    default:
      return assertNever(message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
