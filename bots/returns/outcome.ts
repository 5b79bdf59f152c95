import type { OutboundMessage } from '../../core/message.js';
import type { ReturnRecord } from '../../db/returns.js';
import { RETURNS_COPY_EN as COPY } from '../copy/returns.js';
import { formatMoney } from './money.js';
import { RETURN_STATUS_LABEL } from './status.js';

export interface LabelLink {
  url: string;
  validDays: number;
}

function labelCard(rma: string, link: LabelLink): OutboundMessage {
  return {
    kind: 'card',
    title: COPY.labelCardTitle(rma),
    text: COPY.labelCardText(link.validDays),
    link: { title: COPY.labelDownload, url: link.url },
  };
}

/** The reply after an RMA was created: number, what happens next, money, and the label. */
export function describeNewReturn(
  record: ReturnRecord,
  item: { name: string; unitPriceCents: number; quantity: number },
  currency: string,
  label: LabelLink | null,
  /** The product sent instead, for an exchange for another model. */
  sentInstead: string | null = null,
): OutboundMessage[] {
  const lines = [COPY.booked(record.rma)];
  if (record.method === 'label') {
    lines.push(COPY.packWithLabel(item.name));
  } else {
    lines.push(COPY.dropOffAt(item.name, record.rma));
  }
  if (record.resolution === 'refund') {
    const price = item.unitPriceCents * item.quantity;
    const fee = record.restockingFeeCents > 0;
    const money = COPY.refundWillBe(
      formatMoney(record.refundCents, currency),
      fee ? formatMoney(price, currency) : null,
      fee ? formatMoney(record.restockingFeeCents, currency) : null,
    );
    lines.push(COPY.refundIssued(money));
  } else if (record.exchange !== null && sentInstead !== null) {
    const difference = formatMoney(Math.abs(record.exchange.differenceCents), currency);
    if (record.exchange.differenceCents > 0) {
      lines.push(COPY.exchangeChargeDifference(sentInstead, difference));
    } else if (record.exchange.differenceCents < 0) {
      lines.push(COPY.exchangeRefundDifference(sentInstead, difference, item.name));
    } else {
      lines.push(COPY.exchangeSamePrice(sentInstead));
    }
  } else {
    lines.push(COPY.replacementSame(item.name));
  }
  lines.push(record.refundCents > 0 ? COPY.askAboutRefund : COPY.askAboutReturn);
  const replies: OutboundMessage[] = [{ kind: 'text', text: lines.join(' ') }];
  if (label !== null) replies.push(labelCard(record.rma, label));
  return replies;
}

/** The reply when the customer asks to return a line that already has a return: never a second RMA. */
export function describeExistingReturn(record: ReturnRecord, itemName: string, label: LabelLink | null): OutboundMessage[] {
  const replies: OutboundMessage[] = [
    {
      kind: 'text',
      text: COPY.alreadyReturned(itemName, record.orderNumber, record.rma, RETURN_STATUS_LABEL[record.status]),
    },
  ];
  const stillToSend = record.status === 'requested' || record.status === 'label_issued';
  if (label !== null && stillToSend) replies.push(labelCard(record.rma, label));
  return replies;
}
