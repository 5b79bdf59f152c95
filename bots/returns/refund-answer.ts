import type { OutboundMessage } from '../../core/message.js';
import type { ReturnRecord } from '../../db/returns.js';
import { formatMoney } from './money.js';
import { formatDate } from './policy.js';

/** How long the bank takes after we issue a refund, per payment method (refund-timelines.md). */
export const REFUND_TIMELINES: ReadonlyArray<readonly [string, string]> = [
  ['Credit card', '3–5 business days (some banks take up to 10)'],
  ['Debit card', '5–10 business days'],
  ['Apple Pay or Google Pay', 'same as the card behind it'],
  ['PayPal', '1–2 business days'],
  ['Klarna', 'your plan is updated within 3–5 business days'],
  ['Voltline gift card or store credit', 'instantly'],
];

/** Days we take to issue a refund once the parcel is at the warehouse (inspection included). */
export const ISSUE_WITHIN_BUSINESS_DAYS = 3;

function timelines(): string {
  return `Once issued, the time until you see it depends on how you paid: ${REFUND_TIMELINES.map(([how, time]) => `${how}: ${time}`).join('; ')}.`;
}

/** "Where is my refund?" answered from the return's status, in the words of where-is-my-refund.md. */
export function describeRefundStatus(record: ReturnRecord, itemName: string, currency: string, timelinesUrl: string): OutboundMessage[] {
  const what = `your return ${record.rma} (${itemName}, order ${record.orderNumber})`;
  const amount = formatMoney(record.refundCents, currency);
  const refundOrExchange = record.resolution === 'refund' ? `issue your refund of ${amount}` : 'ship your replacement';
  const afterArrival = `Once it arrives we inspect it and ${refundOrExchange} within ${ISSUE_WITHIN_BUSINESS_DAYS} business days.`;
  let text: string;
  switch (record.status) {
    case 'requested':
      text = `About ${what}: we're waiting for the parcel. Drop it off at any UPS Store with your RMA number. ${afterArrival}`;
      break;
    case 'label_issued':
      text = `About ${what}: we're waiting for the parcel; the carrier hasn't scanned your label yet. ${afterArrival}`;
      break;
    case 'in_transit':
      text = `About ${what}: the carrier has your parcel. Returns take 3–7 business days to reach our warehouse. ${afterArrival}`;
      break;
    case 'received':
      text = `About ${what}: it has arrived at our warehouse. We'll ${refundOrExchange} within ${ISSUE_WITHIN_BUSINESS_DAYS} business days.`;
      break;
    case 'refunded':
      text = `About ${what}: we refunded ${amount} to your original payment method on ${formatDate(record.updatedAt)}. ${timelines()} Still nothing after 10 business days? Tell us and we'll send the reference number your bank can trace.`;
      break;
    case 'exchanged':
      text = `About ${what}: your replacement shipped on ${formatDate(record.updatedAt)}; there's no refund on an exchange.`;
      break;
    case 'rejected':
      text = `About ${what}: the return was rejected because the item didn't meet the return conditions (for example missing parts or damage that wasn't there on delivery). We've emailed you photos and the reason, and we send the item back to you free of charge.`;
      break;
    default: {
      const unknown: never = record.status;
      text = `About ${what}: status ${String(unknown)}.`;
    }
  }
  const replies: OutboundMessage[] = [{ kind: 'text', text }];
  if (record.resolution === 'refund' && record.status !== 'rejected') {
    replies.push({ kind: 'card', title: 'How long refunds take', text: record.status === 'refunded' ? 'By payment method, after we issue the refund.' : timelines(), link: { title: 'Refund timelines', url: timelinesUrl } });
  }
  return replies;
}
