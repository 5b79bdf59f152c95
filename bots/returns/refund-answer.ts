import type { OutboundMessage } from '../../core/message.js';
import type { ReturnRecord } from '../../db/returns.js';
import { REFUND_COPY_EN as COPY } from '../copy/returns.js';
import { formatMoney } from './money.js';
import { formatDate } from './policy.js';

/** How long the bank takes after we issue a refund, per payment method (refund-timelines.md). */
export const REFUND_TIMELINES: ReadonlyArray<readonly [string, string]> = COPY.timelines;

/** Days we take to issue a refund once the parcel is at the warehouse (inspection included). */
export const ISSUE_WITHIN_BUSINESS_DAYS = 3;

function timelines(): string {
  return COPY.onceIssued(REFUND_TIMELINES.map(([how, time]) => COPY.timelineEntry(how, time)).join('; '));
}

/** "Where is my refund?" answered from the return's status, in the words of where-is-my-refund.md. */
export function describeRefundStatus(record: ReturnRecord, itemName: string, currency: string, timelinesUrl: string): OutboundMessage[] {
  const what = COPY.what(record.rma, itemName, record.orderNumber);
  const amount = formatMoney(record.refundCents, currency);
  const refundOrExchange = record.resolution === 'refund' ? COPY.issueRefund(amount) : COPY.shipReplacement;
  const afterArrival = COPY.afterArrival(refundOrExchange, ISSUE_WITHIN_BUSINESS_DAYS);
  let text: string;
  switch (record.status) {
    case 'requested':
      text = COPY.requested(what, afterArrival);
      break;
    case 'label_issued':
      text = COPY.labelIssued(what, afterArrival);
      break;
    case 'in_transit':
      text = COPY.inTransit(what, afterArrival);
      break;
    case 'received':
      text = COPY.received(what, refundOrExchange, ISSUE_WITHIN_BUSINESS_DAYS);
      break;
    case 'refunded':
      text = COPY.refunded(what, amount, formatDate(record.updatedAt), timelines());
      break;
    case 'exchanged':
      text = COPY.exchanged(what, formatDate(record.updatedAt));
      break;
    case 'rejected':
      text = COPY.rejected(what);
      break;
    default: {
      const unknown: never = record.status;
      text = COPY.unknownStatus(what, String(unknown));
    }
  }
  const replies: OutboundMessage[] = [{ kind: 'text', text }];
  if (record.resolution === 'refund' && record.status !== 'rejected') {
    replies.push({ kind: 'card', title: COPY.cardTitle, text: record.status === 'refunded' ? COPY.cardByMethod : timelines(), link: { title: COPY.cardLink, url: timelinesUrl } });
  }
  return replies;
}
