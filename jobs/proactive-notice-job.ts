import { z } from 'zod';
import { defineJob } from './job-definition.js';

/** "Send the notice of this shop event": the event's key only (order number + the shop's event id), never an address. */
export const ProactiveNoticeDataSchema = z.object({ key: z.string().min(1).max(200) });

/**
 * Sent with the event's commit (`startAfter`: the end of quiet hours). A run claims the notice
 * row first, so two runs of one notice (a retry, the quiet-hours sweep) send it once.
 */
export const proactiveNoticeJob = defineJob({
  name: 'proactive-notice',
  schema: ProactiveNoticeDataSchema,
  retryLimit: 8,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  key: (data) => data.key,
});
