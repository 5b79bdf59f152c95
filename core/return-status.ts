import { z } from 'zod';

/** Where a return (RMA) stands (`returns.status`). */
export const ReturnStatusSchema = z.enum(['requested', 'label_issued', 'in_transit', 'received', 'refunded', 'exchanged', 'rejected']);
export type ReturnStatus = z.infer<typeof ReturnStatusSchema>;
export const RETURN_STATUSES = ReturnStatusSchema.options;

/** What the customer gets back (`returns.resolution`). */
export const ReturnResolutionSchema = z.enum(['refund', 'exchange']);
export type ReturnResolution = z.infer<typeof ReturnResolutionSchema>;

/** How the item travels back (`returns.method`). */
export const ReturnMethodSchema = z.enum(['label', 'drop_off']);
export type ReturnMethod = z.infer<typeof ReturnMethodSchema>;
