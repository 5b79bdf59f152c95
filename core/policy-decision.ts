import { z } from 'zod';

/**
 * A policy the bot applied to the customer's request (a return out of its window, a final-sale
 * item): what it decided and why, kept in a slot of the deciding flow so the log records it and
 * the agent who picks the conversation up sees it (server/agent/context-package.ts).
 */
export const PolicyDecisionSchema = z.object({
  /** Which policy: `returns`, … */
  policy: z.string().min(1).max(40),
  outcome: z.enum(['allowed', 'refused']),
  /** The policy's reason code (`outside_window`, `within_window`, …). */
  reason: z.string().min(1).max(60),
  /** What it was about, in a few words ("order 100234, line 1"). */
  subject: z.string().max(200).nullable(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

/** The slot a flow records its latest policy decision in (a PolicyDecisionSchema object). */
export const POLICY_DECISION_SLOT = '_policy_decision';

/** The slot value for a decision: the object itself, checked against the schema. */
export function encodePolicyDecision(decision: PolicyDecision): PolicyDecision {
  return PolicyDecisionSchema.parse(decision);
}

/**
 * The decision a `slot_set` value holds, or null for anything else (a cleared slot). Releases
 * before typed frames stored it as JSON text: that is still read, so open conversations keep it.
 */
export function decodePolicyDecision(raw: unknown): PolicyDecision | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') return PolicyDecisionSchema.safeParse(raw).data ?? null;
  try {
    return PolicyDecisionSchema.safeParse(JSON.parse(raw)).data ?? null;
  } catch {
    return null;
  }
}
