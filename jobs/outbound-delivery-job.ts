import { z } from 'zod';
import { defineJob, type JobDefinition } from './job-definition.js';

/**
 * A nudge, not a message: "this conversation has messages to send". The worker drains the
 * conversation's queued rows in seq order, so duplicates of the nudge are harmless and order
 * comes from the rows, whichever instance runs it.
 */
export const OutboundDeliveryDataSchema = z.object({ conversationId: z.string().min(1).max(200) });
export type OutboundDeliveryData = z.infer<typeof OutboundDeliveryDataSchema>;

export const OUTBOUND_DELIVERY_QUEUE = 'outbound-delivery';

/** The job expires with the claim's lease: a retry after its worker died finds the claim stale. */
export function outboundDeliveryJob(leaseSeconds: number): JobDefinition<OutboundDeliveryData> {
  return defineJob({
    name: OUTBOUND_DELIVERY_QUEUE,
    schema: OutboundDeliveryDataSchema,
    // These retries are for the worker's own failures (database outage); send failures are
    // retried per message by the worker, with their own backoff and Retry-After.
    retryLimit: 5,
    retryDelaySeconds: 5,
    retryBackoff: true,
    expireInSeconds: leaseSeconds,
    key: (data) => data.conversationId,
  });
}
