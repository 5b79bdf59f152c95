import { z } from 'zod';
import { StorableTextSchema } from '../../core/text.js';

/**
 * The parts of Meta's webhook payloads the connectors read (WhatsApp Cloud API "messages"
 * field; Messenger and Instagram "messaging" events). Objects are not strict: Meta adds fields
 * without notice, and an unknown one must not turn a webhook away (it would be retried for days).
 */

const id = z.string().min(1).max(200);
const text = StorableTextSchema.max(4096);

// --- WhatsApp Cloud API ------------------------------------------------------------------------

const WhatsAppMediaSchema = z.object({ id, mime_type: z.string().max(100), caption: text.optional() });

/** One customer message. `from` is the wa_id; with the phone withheld only `from_user_id` (a business-scoped `US.…` id) is given. */
export const WhatsAppMessageSchema = z.object({
  id,
  from: id.optional(),
  from_user_id: id.optional(),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().max(40),
  text: z.object({ body: text }).optional(),
  interactive: z
    .object({
      type: z.string().max(40),
      button_reply: z.object({ id: z.string().min(1).max(500), title: text }).optional(),
      list_reply: z.object({ id: z.string().min(1).max(500), title: text, description: text.optional() }).optional(),
    })
    .optional(),
  /** A quick-reply button of a template. */
  button: z.object({ payload: z.string().min(1).max(500), text }).optional(),
  image: WhatsAppMediaSchema.optional(),
  document: WhatsAppMediaSchema.optional(),
  audio: WhatsAppMediaSchema.optional(),
  video: WhatsAppMediaSchema.optional(),
  sticker: WhatsAppMediaSchema.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: text.optional(), address: text.optional() }).optional(),
});
export type WhatsAppMessage = z.infer<typeof WhatsAppMessageSchema>;

export const WhatsAppContactSchema = z.object({
  wa_id: id.optional(),
  user_id: id.optional(),
  profile: z.object({ name: StorableTextSchema.max(200).optional() }).optional(),
});

export const WhatsAppStatusSchema = z.object({
  id,
  status: z.string().max(40),
  timestamp: z.string().regex(/^\d{1,12}$/).optional(),
  recipient_id: id.optional(),
});

export const WhatsAppValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ phone_number_id: id, display_phone_number: z.string().max(40).optional() }),
  contacts: z.array(WhatsAppContactSchema).max(1000).optional(),
  messages: z.array(WhatsAppMessageSchema).max(1000).optional(),
  statuses: z.array(WhatsAppStatusSchema).max(1000).optional(),
});
export type WhatsAppValue = z.infer<typeof WhatsAppValueSchema>;

export const WhatsAppWebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(z.object({ id, changes: z.array(z.object({ field: z.string().max(100), value: z.unknown() })).max(1000) }))
    .min(1)
    .max(1000),
});

// --- Messenger and Instagram -------------------------------------------------------------------

export const MessagingEventSchema = z.object({
  sender: z.object({ id }),
  recipient: z.object({ id }),
  timestamp: z.number().int().nonnegative().optional(),
  message: z
    .object({
      mid: id,
      text: text.optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string().min(1).max(1000) }).optional(),
      attachments: z.array(z.object({ type: z.string().max(40), payload: z.object({ url: z.string().max(2000).optional() }).loose().nullable().optional() })).max(20).optional(),
    })
    .optional(),
  postback: z.object({ mid: id.optional(), title: text.optional(), payload: z.string().min(1).max(1000) }).optional(),
  delivery: z.object({ mids: z.array(id).max(1000).optional(), watermark: z.number().int().optional() }).optional(),
  read: z.object({ mid: id.optional(), watermark: z.number().int().optional() }).optional(),
});
export type MessagingEvent = z.infer<typeof MessagingEventSchema>;

export const MessagingWebhookSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z
    .array(z.object({ id, time: z.number().optional(), messaging: z.array(MessagingEventSchema).max(1000).optional() }))
    .min(1)
    .max(1000),
});
export type MessagingWebhook = z.infer<typeof MessagingWebhookSchema>;

// --- Send answers ------------------------------------------------------------------------------

/** Cloud API: `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`. */
export const WhatsAppSendAnswerSchema = z.object({ messages: z.array(z.object({ id })).min(1) });
/** Send API (Messenger, Instagram): `{ recipient_id, message_id }`. */
export const MessagingSendAnswerSchema = z.object({ message_id: id });
