import { z } from 'zod';

/**
 * Why a conversation went to a person: a closed union (what it was is in the handoff's `detail`).
 * The handoff policy (handoff/policy.ts) turns a reason into a priority, a category and a team.
 */
export const HANDOFF_REASONS = [
  'customer_asked',
  'frustration',
  'misunderstood_twice',
  'human_only_intent',
  'vip_customer',
  'troubleshooting_failed',
  'beyond_policy',
  'technical_outage',
  'complaint',
  'repair_needed',
  'missing_parcel',
  'order_change_review',
] as const;
export const HandoffReasonSchema = z.enum(HANDOFF_REASONS);
export type HandoffReason = z.infer<typeof HandoffReasonSchema>;

/** What a handed-off conversation is about. */
export const ISSUE_CATEGORIES = ['order', 'delivery', 'returns', 'payment', 'account', 'connectivity', 'device'] as const;
export const IssueCategorySchema = z.enum(ISSUE_CATEGORIES);
export type IssueCategory = z.infer<typeof IssueCategorySchema>;

/** How urgent a waiting conversation is, lowest first. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * The stored priority (`conversations.priority`, the `triaged` event's `priority`) is the
 * level's rank, so the queue sorts on an integer: low 0, normal 1, high 2, urgent 3. Handoffs
 * recorded before the policy existed carry 0.
 */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The level of a stored rank; out-of-range ranks are clamped (never a cast). */
export function priorityOfRank(rank: number): Priority {
  return PRIORITIES[Math.max(0, Math.min(PRIORITIES.length - 1, Math.trunc(rank)))]!;
}

/** One level up, urgent staying urgent (an SLA breach raises the priority). */
export function raisedPriority(priority: Priority): Priority {
  return priorityOfRank(priorityRank(priority) + 1);
}

/**
 * The service-level targets of a handed-off conversation: the first answer and the resolution
 * (deadlines set at handoff), and the next answer to each customer message while a person holds it.
 */
export const SLA_KINDS = ['first_response', 'resolution', 'next_response'] as const;
export const SlaKindSchema = z.enum(SLA_KINDS);
export type SlaKind = z.infer<typeof SlaKindSchema>;
/** The targets whose deadlines the handoff itself sets (`triaged.sla`). */
export type HandoffSlaKind = Exclude<SlaKind, 'next_response'>;

/** When the targets of a handoff fall due (ISO), computed in the team's business hours at handoff. */
export const SlaDueSchema = z.object({ firstResponseDueAt: z.string(), resolutionDueAt: z.string() });
export type SlaDue = z.infer<typeof SlaDueSchema>;

/** What a flow asked for when it handed off (`Reply.handoff`). */
export interface HandoffRequest {
  reason: HandoffReason;
  /** What happened, in a line, for the agent ("troubleshooting "Camera offline" not resolved after 4 steps"). */
  detail: string;
  /** What it is about, when the flow knows. */
  category?: IssueCategory;
}
