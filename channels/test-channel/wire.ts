import { z } from 'zod';
import { DeliveryReportSchema } from '../../core/channel.js';
import { InboundMediaTypeSchema } from '../../core/inbound.js';
import { StorableTextSchema } from '../../core/text.js';

/**
 * The test channel's wire format: a provider of our own, documented here and in
 * /openapi.json (`testChannelDocs`), so the connector contract can be proven end to end without a vendor
 * account. Each direction is a JSON POST signed as in signature.ts.
 */

/** The most text one test-channel message carries, in either direction (as an SMS provider's concatenated limit). */
export const TEST_CHANNEL_MAX_TEXT = 1600;

const id = StorableTextSchema.min(1).max(200);

export const TestChannelMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: StorableTextSchema.min(1).max(TEST_CHANNEL_MAX_TEXT) }),
  /** A button the customer pressed (the test channel's clients may have buttons even though ours renders none). */
  z.strictObject({ type: z.literal('button'), payload: StorableTextSchema.min(1).max(500), title: StorableTextSchema.max(200) }),
  z.strictObject({
    type: z.literal('media'),
    mediaType: InboundMediaTypeSchema,
    mimeType: z.string().max(100),
    url: z.string().max(2000),
    caption: StorableTextSchema.max(TEST_CHANNEL_MAX_TEXT).optional(),
  }),
  z.strictObject({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: StorableTextSchema.max(200).optional(),
    address: StorableTextSchema.max(500).optional(),
  }),
]);
export type TestChannelMessage = z.infer<typeof TestChannelMessageSchema>;

/** `POST /channels/test`: what the provider sends us. */
export const TestChannelWebhookSchema = z.discriminatedUnion('event', [
  z.strictObject({
    event: z.literal('message'),
    /** The provider's message id: its retries repeat it. */
    id,
    from: z.strictObject({ id, name: StorableTextSchema.max(200).optional() }),
    locale: StorableTextSchema.max(20).optional(),
    message: TestChannelMessageSchema,
  }),
  /** What became of a message we sent, by the id its receipt gave. */
  z.strictObject({ event: z.literal('status'), messageId: id, status: DeliveryReportSchema }),
]);
export type TestChannelWebhook = z.infer<typeof TestChannelWebhookSchema>;

/** Event types the connector handles; any other is acknowledged and ignored, so a new one is not retried forever. */
export const TEST_CHANNEL_EVENTS: ReadonlySet<string> = new Set(['message', 'status']);

/** What we send the provider (POST TEST_CHANNEL_OUTBOUND_URL). */
export const TestChannelSendSchema = z.strictObject({
  to: id,
  /** The same on every attempt of one reply: the provider delivers each key once. */
  idempotencyKey: id,
  /** One reply, split at line or word boundaries to fit `TEST_CHANNEL_MAX_TEXT`, delivered in order. */
  parts: z.array(z.string().min(1).max(TEST_CHANNEL_MAX_TEXT)).min(1),
});
export type TestChannelSend = z.infer<typeof TestChannelSendSchema>;

/** The provider's answer to a send (200 or 201): its id for the message, which status events quote. */
export const TestChannelReceiptSchema = z.object({ id });
