import type { CaseKind } from '../../core/case-status.js';
import type { CaseRow } from '../../db/cases.js';
import type { VerifiedCustomer } from '../verified-customer.js';

export interface CaseForOrder {
  conversationId: string;
  kind: CaseKind;
  orderNumber: string;
  summary: string;
  details: Record<string, unknown>;
}

/**
 * Opens a case about an order unless one of the same kind is still open for it: a customer who
 * asks twice gets the same case id, and the team doesn't work one problem twice.
 */
export async function openCaseOnce(customer: VerifiedCustomer, input: CaseForOrder): Promise<{ row: Pick<CaseRow, 'id'>; existing: boolean }> {
  const earlier = (await customer.cases()).find(
    (c) => c.kind === input.kind && c.status !== 'closed' && c.status !== 'resolved' && orderOf(c) === input.orderNumber,
  );
  if (earlier !== undefined) return { row: earlier, existing: true };
  const row = await customer.openCase({
    conversationId: input.conversationId,
    kind: input.kind,
    summary: input.summary,
    details: { orderNumber: input.orderNumber, ...input.details },
  });
  return { row, existing: false };
}

function orderOf(row: CaseRow): unknown {
  const details: unknown = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>).orderNumber : undefined;
}
