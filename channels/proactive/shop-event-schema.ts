import { z } from 'zod';
import { CustomerChannelSchema } from '../../core/message.js';

/** What the shop reports about an order that the customer may be told of. */
export const ShopEventKindSchema = z.enum(['shipped', 'out_for_delivery', 'delayed', 'delivered']);
export type ShopEventKind = z.infer<typeof ShopEventKindSchema>;

const timestamp = z.iso.datetime({ offset: true });
const id = z.string().trim().min(1).max(100);

/** One order change, as the shop's system posts it to POST /admin/shop/events. */
export const ShopEventSchema = z.strictObject({
  id: id.describe("The shop's own id of this event: with the order number, the idempotency key (the same event posted twice is stored once)"),
  orderNumber: z.string().trim().min(1).max(64),
  kind: ShopEventKindSchema,
  at: timestamp.describe('When it happened (ISO 8601 with offset)'),
  /** Shipped, out for delivery, delayed: the delivery date the carrier now expects. */
  estimatedDelivery: timestamp.nullable().optional(),
  carrier: z.string().trim().min(1).max(40).optional(),
  trackingUrl: z.url({ protocol: /^https$/ }).max(500).optional(),
});
export type ShopEvent = z.infer<typeof ShopEventSchema>;

/** A consent the shop collected (checkout, account settings): recorded with source `admin`. */
export const ShopConsentSchema = z.strictObject({
  customerId: id,
  channel: CustomerChannelSchema,
  granted: z.boolean(),
  at: timestamp,
});
export type ShopConsent = z.infer<typeof ShopConsentSchema>;

export const ShopEventsBodySchema = z
  .strictObject({
    events: z.array(ShopEventSchema).max(500).default([]),
    consents: z.array(ShopConsentSchema).max(500).default([]),
  })
  .refine((body) => body.events.length + body.consents.length > 0, { message: 'send at least one event or consent', path: ['events'] });
export type ShopEventsBody = z.infer<typeof ShopEventsBodySchema>;

export const ShopEventsResultSchema = z.object({
  /** Events stored now; a repeat of one already stored is counted in `duplicates` and changes nothing. */
  stored: z.number().int(),
  duplicates: z.number().int(),
  consents: z.number().int(),
  /** What became of each new event's notice. */
  notices: z.array(z.object({ eventId: z.string(), orderNumber: z.string(), status: z.enum(['held', 'queued', 'skipped']), reason: z.string().nullable() })),
});
export type ShopEventsResult = z.infer<typeof ShopEventsResultSchema>;
