import { z } from 'zod';
import { ChannelNameSchema } from '../core/message.js';
import { defineJob, type JobDefinition } from './job-definition.js';

/**
 * "This message is waiting for its turn": the key of an `inbound_messages` row, never its text
 * or the sender's number (dead jobs are shown to operators as they are). The worker takes the
 * sender's waiting messages oldest first, so a job may run a turn for an earlier message than
 * its own, and a job whose message was already handled finds nothing to do.
 */
export const InboundProcessingDataSchema = z.object({
  channel: ChannelNameSchema,
  providerMessageId: z.string().min(1).max(200),
});
export type InboundProcessingData = z.infer<typeof InboundProcessingDataSchema>;

export const INBOUND_PROCESSING_QUEUE = 'inbound-processing';

/** The job expires with the claim's lease: a retry after its worker died finds the claim stale. */
export function inboundProcessingJob(timing: { leaseSeconds: number; retryDelaySeconds: number }): JobDefinition<InboundProcessingData> {
  return defineJob({
    name: INBOUND_PROCESSING_QUEUE,
    schema: InboundProcessingDataSchema,
    // A turn that failed (database or Redis outage, a busy conversation) is tried again; the
    // row counts its attempts and is set aside once they run out, so one message that always
    // fails does not hold back its sender's later ones.
    retryLimit: 5,
    retryDelaySeconds: timing.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: timing.leaseSeconds,
    key: (data) => `${data.channel}:${data.providerMessageId}`,
  });
}
