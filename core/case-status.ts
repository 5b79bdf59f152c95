import { z } from 'zod';

/** Where a support case stands (`cases.status`). */
export const CaseStatusSchema = z.enum(['open', 'pending', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** What a case is about (`cases.kind`): which team picks it up. */
export const CaseKindSchema = z.enum(['repair', 'warranty', 'refund_request', 'payment', 'delivery', 'order_change', 'handoff']);
export type CaseKind = z.infer<typeof CaseKindSchema>;
