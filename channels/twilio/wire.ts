import { z } from 'zod';

/**
 * What Twilio posts (application/x-www-form-urlencoded), per its documentation of the Messaging
 * webhook and the status callback. Only the fields Switchboard reads are named; Twilio adds
 * others (SmsSid, AccountSid, ApiVersion, FromCity…), which the signature covers and the
 * schemas pass over.
 */

/** An SMS sender: E.164. A WhatsApp sender: the same behind `whatsapp:`. */
export const TwilioAddressSchema = z.string().regex(/^(whatsapp:)?\+[1-9]\d{6,14}$/, 'must be an E.164 number, optionally behind whatsapp:');

/** MessageSid of an SMS (SM…) or MMS (MM…): 34 characters. */
export const TwilioMessageSidSchema = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be SM or MM followed by 32 hex digits');

/** Twilio allows at most 10 media per message. */
export const MAX_TWILIO_MEDIA = 10;

export const TwilioInboundMessageSchema = z.object({
  MessageSid: TwilioMessageSidSchema,
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits'),
  From: TwilioAddressSchema,
  To: TwilioAddressSchema,
  /** Up to 1,600 characters on SMS; WhatsApp up to 4,096. */
  Body: z.string().max(4096).default(''),
  NumMedia: z.coerce.number().int().min(0).max(MAX_TWILIO_MEDIA).default(0),
  /** WhatsApp only: the name on the customer's profile. */
  ProfileName: z.string().max(200).optional(),
});
export type TwilioInboundMessage = z.infer<typeof TwilioInboundMessageSchema>;

/** MessageStatus values of Twilio's status callback. */
export const TwilioMessageStatusSchema = z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'partially_delivered', 'receiving', 'received']);
export type TwilioMessageStatus = z.infer<typeof TwilioMessageStatusSchema>;

export const TwilioStatusCallbackSchema = z.object({
  MessageSid: TwilioMessageSidSchema,
  MessageStatus: TwilioMessageStatusSchema,
  /** Set on undelivered and failed (30003 unreachable, 30006 landline, 21610 unsubscribed…). */
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional(),
});
export type TwilioStatusCallback = z.infer<typeof TwilioStatusCallbackSchema>;

/**
 * The posted fields as the signature and the schemas read them: every name with all its values,
 * in the order posted. Twilio signs a repeated name with each of its values (twilio's
 * `getExpectedTwilioSignature` sorts and de-duplicates them), so they are kept, not collapsed.
 */
export function formFields(body: Buffer): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    const values = fields.get(name);
    if (values === undefined) fields.set(name, [value]);
    else values.push(value);
  }
  return fields;
}

/** Single-valued fields for the schemas: a name posted twice is ambiguous and counts as invalid. */
export function singleValued(fields: Map<string, string[]>): { values: Record<string, string>; repeated: string[] } {
  const values: Record<string, string> = {};
  const repeated: string[] = [];
  for (const [name, all] of fields) {
    if (all.length === 1) values[name] = all[0]!;
    else repeated.push(name);
  }
  return { values, repeated };
}
