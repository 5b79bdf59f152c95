import { z } from 'zod';
import { defineJob, type JobDefinition } from './job-definition.js';

/**
 * A nudge: "this conversation has effects to run". The worker runs the conversation's pending
 * effect rows in the order they were decided, so duplicates of the nudge are harmless.
 */
export const ConversationEffectsDataSchema = z.object({ conversationId: z.string().min(1).max(200) });
export type ConversationEffectsData = z.infer<typeof ConversationEffectsDataSchema>;

export const CONVERSATION_EFFECTS_QUEUE = 'conversation-effects';

export function conversationEffectsJob(leaseSeconds: number, retryDelaySeconds = 5): JobDefinition<ConversationEffectsData> {
  return defineJob({
    name: CONVERSATION_EFFECTS_QUEUE,
    schema: ConversationEffectsDataSchema,
    // A transport that is down fails the job, which comes back with backoff; each effect counts its own runs too.
    retryLimit: 8,
    retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: leaseSeconds,
    key: (data) => data.conversationId,
  });
}
