import type { OrderStatus } from '../../core/order-status.js';
import { RETURN_POLICY_COPY_EN as COPY } from '../copy/return-policy.js';
import type { CategoryRule, ReturnPolicy, ReturnReason } from './policy-file.js';

export const ITEM_CONDITIONS = ['unopened', 'opened', 'damaged', 'defective'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

/** Everything the policy looks at for one order line; no I/O, so the rules are testable as a table. */
export interface ReturnInput {
  productName: string;
  category: string;
  finalSale: boolean;
  /** The product's own window and warranty; a category rule in the policy overrides them. */
  returnWindowDays: number;
  warrantyMonths: number;
  deliveredAt: Date | null;
  orderStatus: OrderStatus;
  condition: ItemCondition;
  reason: ReturnReason;
  unitPriceCents: number;
  quantity: number;
  now: Date;
}

export type EligibleReason = 'within_window' | 'holiday_extension' | 'faulty_item';
export type IneligibleReason =
  | 'not_delivered'
  | 'order_cancelled'
  | 'already_returned'
  | 'non_returnable_category'
  | 'final_sale'
  | 'opened_sealed_only'
  | 'outside_window';
export type ReturnAlternative = 'warranty_claim' | 'cancel_order' | 'wait_for_delivery' | 'talk_to_person';

export type ReturnDecision =
  | { eligible: true; reason: EligibleReason; explanation: string; deadline: Date; restockingFeeCents: number }
  | { eligible: false; reason: IneligibleReason; explanation: string; deadline: Date | null; alternatives: ReturnAlternative[] };

const DAY_MS = 24 * 60 * 60 * 1000;
const NOT_SHIPPED: ReadonlySet<OrderStatus> = new Set(['placed', 'paid', 'packed']);
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export function formatDate(date: Date): string {
  return dayFormat.format(date);
}

/** The last millisecond of the UTC day `days` after `from`: delivered on the 1st with 30 days → the 31st. */
function endOfDayAfter(from: Date, days: number): Date {
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return new Date(start + (days + 1) * DAY_MS - 1);
}

function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** The holiday deadline when the delivery falls in the holiday period, else null. */
function holidayDeadline(deliveredAt: Date, policy: ReturnPolicy): Date | null {
  if (policy.holiday === null) return null;
  const md = (d: Date) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  const delivered = md(deliveredAt);
  if (delivered < policy.holiday.deliveredFrom || delivered > policy.holiday.deliveredTo) return null;
  const [month, day] = policy.holiday.returnBy.split('-').map(Number) as [number, number];
  const returnByYear = deliveredAt.getUTCFullYear() + (policy.holiday.returnBy < policy.holiday.deliveredFrom ? 1 : 0);
  return new Date(Date.UTC(returnByYear, month - 1, day + 1) - 1);
}

function ineligible(reason: IneligibleReason, explanation: string, deadline: Date | null, alternatives: ReturnAlternative[]): ReturnDecision {
  return { eligible: false, reason, explanation, deadline, alternatives };
}

/**
 * Decides whether one order line may be returned, and says why in words the customer can act on.
 * Order of the rules follows the articles: the order must have arrived; gift cards and final-sale
 * items never come back for a refund; opened software/media only if faulty; then the window
 * (category window from delivery, or the holiday date if later). Faulty items outside the
 * window are offered a warranty claim while the warranty lasts.
 */
export function evaluateReturn(input: ReturnInput, policy: ReturnPolicy): ReturnDecision {
  const rule: Partial<CategoryRule> = policy.categories[input.category] ?? {};
  const name = input.productName;
  if (input.orderStatus === 'cancelled') return ineligible('order_cancelled', COPY.orderCancelled, null, ['talk_to_person']);
  if (input.orderStatus === 'returned') return ineligible('already_returned', COPY.alreadyReturned, null, ['talk_to_person']);
  if (input.orderStatus !== 'delivered' || input.deliveredAt === null) {
    const notShipped = NOT_SHIPPED.has(input.orderStatus);
    return ineligible(
      'not_delivered',
      notShipped ? COPY.notShipped : COPY.notDelivered,
      null,
      [notShipped ? 'cancel_order' : 'wait_for_delivery'],
    );
  }

  const faulty = input.condition === 'damaged' || input.condition === 'defective';
  const windowDays = rule.windowDays ?? input.returnWindowDays;
  const normalDeadline = endOfDayAfter(input.deliveredAt, windowDays);
  const holiday = holidayDeadline(input.deliveredAt, policy);
  const deadline = holiday !== null && holiday > normalDeadline ? holiday : normalDeadline;
  const warrantyEnd = warrantyEndOf(input, input.deliveredAt, rule);
  const warrantyOpen = input.now <= warrantyEnd;
  const warrantyOr = (fallback: ReturnAlternative[]): ReturnAlternative[] => (faulty && warrantyOpen ? ['warranty_claim', 'talk_to_person'] : fallback);
  const warrantyNote = faulty && warrantyOpen ? COPY.warrantyNote(formatDate(warrantyEnd)) : '';

  if (rule.returnable === false) {
    return ineligible('non_returnable_category', COPY.nonReturnableCategory(rule.label ?? input.category, warrantyNote), null, warrantyOr(['talk_to_person']));
  }
  if (input.finalSale) {
    return ineligible('final_sale', COPY.finalSale(name, warrantyNote), null, warrantyOr(['talk_to_person']));
  }
  if (rule.sealedOnly === true && input.condition === 'opened') {
    return ineligible('opened_sealed_only', COPY.openedSealedOnly(rule.label ?? input.category, name), null, ['talk_to_person']);
  }
  if (input.now > deadline) {
    return ineligible(
      'outside_window',
      COPY.outsideWindow(rule.label ?? null, windowDays, name, formatDate(input.deliveredAt), formatDate(deadline), warrantyNote),
      deadline,
      warrantyOr(['talk_to_person']),
    );
  }

  const changeOfMind = policy.changeOfMindReasons.includes(input.reason);
  const feePercent = !faulty && changeOfMind && input.condition === 'opened' ? (rule.restockingFeePercent ?? 0) : 0;
  const restockingFeeCents = Math.round((input.unitPriceCents * input.quantity * feePercent) / 100);
  const reason: EligibleReason = faulty ? 'faulty_item' : input.now > normalDeadline ? 'holiday_extension' : 'within_window';
  const holidayApplies = holiday !== null && holiday > normalDeadline;
  const parts = [COPY.returnableUntil(name, formatDate(deadline), holidayApplies)];
  if (faulty) parts.push(COPY.noFeeWhenFaulty);
  if (restockingFeeCents > 0) parts.push(COPY.restockingFee(rule.label ?? input.category, feePercent));
  return { eligible: true, reason, explanation: parts.join(' '), deadline, restockingFeeCents };
}

/**
 * The decision when neither the item's condition nor the reason can change it (not delivered
 * yet, final sale, the window closed): told before they are asked, so nobody describes an item
 * that cannot come back. Null when the answers matter. A warranty that still runs is offered for
 * the case the item is faulty, in words that do not assume it is.
 */
export function decisionBeforeAnswers(input: ReturnInput, policy: ReturnPolicy): Extract<ReturnDecision, { eligible: false }> | null {
  const asIs = evaluateReturn({ ...input, condition: 'unopened', reason: 'changed_mind' }, policy);
  const faulty = evaluateReturn({ ...input, condition: 'defective', reason: 'faulty' }, policy);
  if (asIs.eligible || faulty.eligible || asIs.reason !== faulty.reason) return null;
  if (!faulty.alternatives.includes('warranty_claim') || input.deliveredAt === null) return asIs;
  const until = warrantyEndOf(input, input.deliveredAt, policy.categories[input.category] ?? {});
  return {
    ...asIs,
    explanation: COPY.coveredIfFaulty(asIs.explanation, formatDate(until)),
    alternatives: faulty.alternatives,
  };
}

function warrantyEndOf(input: ReturnInput, deliveredAt: Date, rule: Partial<CategoryRule>): Date {
  return addMonths(deliveredAt, rule.warrantyMonths ?? input.warrantyMonths);
}

/** What the customer gets back for an eligible return, given refund or exchange. */
export function settleReturn(
  decision: Extract<ReturnDecision, { eligible: true }>,
  resolution: 'refund' | 'exchange',
  line: { unitPriceCents: number; quantity: number },
  policy: ReturnPolicy,
  exchangeFor: { differenceCents: number } | null = null,
): { refundCents: number; restockingFeeCents: number } {
  if (resolution === 'exchange') {
    // A cheaper product sent instead refunds the difference; a dearer one is paid, not refunded.
    const refundCents = exchangeFor !== null && exchangeFor.differenceCents < 0 ? -exchangeFor.differenceCents : 0;
    return { refundCents, restockingFeeCents: policy.restockingFeeWaivedOnExchange ? 0 : decision.restockingFeeCents };
  }
  return { refundCents: line.unitPriceCents * line.quantity - decision.restockingFeeCents, restockingFeeCents: decision.restockingFeeCents };
}
