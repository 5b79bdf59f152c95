import { z } from 'zod';
import { defineJob } from './job-definition.js';

/**
 * "Check that the customer message stored at `messageSeq` was answered by `dueAt`": ids and the
 * deadline the policy set when the message was stored (the team's hours may change later).
 */
export const NextResponseCheckDataSchema = z.object({
  conversationId: z.string().min(1).max(200),
  messageSeq: z.number().int().min(0),
  dueAt: z.iso.datetime({ offset: true }),
});
export type NextResponseCheckData = z.infer<typeof NextResponseCheckDataSchema>;

export const NEXT_RESPONSE_CHECK_QUEUE = 'sla-next-response-check';

/**
 * Scheduled for each customer message a person must answer, in the transaction that stores the
 * message (jobs/sla-scheduling.ts). Running it twice is harmless: the log decides, under the lock.
 */
export const nextResponseCheckJob = defineJob({
  name: NEXT_RESPONSE_CHECK_QUEUE,
  schema: NextResponseCheckDataSchema,
  retryLimit: 10,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.conversationId,
});
