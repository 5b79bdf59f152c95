import { z } from 'zod';

/** Where a support case stands (`cases.status`, migration 0018): `new` until someone works it. */
export const CaseStatusSchema = z.enum(['new', 'open', 'pending_customer', 'pending_third_party', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** What a case is about (`cases.kind`): which team picks it up. */
export const CaseKindSchema = z.enum(['repair', 'warranty', 'refund_request', 'payment', 'delivery', 'order_change', 'handoff']);
export type CaseKind = z.infer<typeof CaseKindSchema>;

/** Statuses of a case still being worked: the profile's cases list them first. */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['new', 'open', 'pending_customer', 'pending_third_party'];

/** How urgent a case is (`cases.priority`). */
export const CasePrioritySchema = z.enum(['urgent', 'high', 'normal', 'low']);
export type CasePriority = z.infer<typeof CasePrioritySchema>;

/** What a case template is about. */
export const CaseCategorySchema = z.enum(['connectivity', 'account', 'delivery', 'device', 'order', 'payment', 'returns']);
export type CaseCategory = z.infer<typeof CaseCategorySchema>;
