import { z } from 'zod';
import { SlaKindSchema } from '../core/handoff-triage.js';
import { defineJob } from './job-definition.js';

/** "Check target `kind` of the handoff triaged at `handoffSeq`": ids only, as every job payload. */
// A next response is checked per customer message by its own job (jobs/next-response-job.ts).
export const SlaCheckDataSchema = z.object({ conversationId: z.string().min(1).max(200), handoffSeq: z.number().int().min(0), kind: SlaKindSchema.exclude(['next_response']) });
export type SlaCheckData = z.infer<typeof SlaCheckDataSchema>;

export const SLA_CHECK_QUEUE = 'sla-check';

/**
 * Scheduled at handoff for each target's due time (`startAfter`), in the transaction that
 * records the handoff. Running it twice is harmless: the check reads the log under the
 * conversation's lock and records a breach only once.
 */
export const slaCheckJob = defineJob({
  name: SLA_CHECK_QUEUE,
  schema: SlaCheckDataSchema,
  retryLimit: 10,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.conversationId,
});
