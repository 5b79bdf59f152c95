import { z } from 'zod';
import { defineJob } from './job-definition.js';

/** "End the offer stored at `offerSeq` unless it was taken": ids only, as every job payload. */
export const OfferExpiryDataSchema = z.object({
  conversationId: z.string().min(1).max(200),
  offerSeq: z.number().int().min(0),
  /** The offer's own id: a job whose offer never committed finds another event (or none) at that seq. */
  offerId: z.string().min(1).max(100),
});
export type OfferExpiryData = z.infer<typeof OfferExpiryDataSchema>;

export const OFFER_EXPIRY_QUEUE = 'offer-expiry';

/**
 * Stored for the offer's expiry time (`startAfter`) before the offer commits. Running it twice,
 * or for an offer that never committed, is harmless: it reads the log under the conversation's
 * lock and records `offer_expired` only for that very offer, still open.
 */
export const offerExpiryJob = defineJob({
  name: OFFER_EXPIRY_QUEUE,
  schema: OfferExpiryDataSchema,
  retryLimit: 10,
  retryDelaySeconds: 2,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.conversationId,
});
