import type { OutboundMessage } from '../../core/message.js';
import type { ReturnRecord } from '../../db/returns.js';
import { formatMoney } from './money.js';
import { RETURN_STATUS_LABEL } from './status.js';

export interface LabelLink {
  url: string;
  validDays: number;
}

function labelCard(rma: string, link: LabelLink): OutboundMessage {
  return {
    kind: 'card',
    title: `Return label ${rma}`,
    text: `Print the label, stick it on the outer box over any old labels and hand the parcel to UPS. The link works for ${link.validDays} days.`,
    link: { title: 'Download your return label (PDF)', url: link.url },
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
  const lines = [`Your return is booked. Your RMA number is ${record.rma}.`];
  if (record.method === 'label') {
    lines.push(`Pack the ${item.name} with everything that came in the box and send it back with the prepaid label below.`);
  } else {
    lines.push(`Take the ${item.name} to any UPS Store and give them RMA ${record.rma}; staff pack it for free if you don't have a box.`);
  }
  if (record.resolution === 'refund') {
    const price = item.unitPriceCents * item.quantity;
    const money =
      record.restockingFeeCents > 0
        ? `Your refund will be ${formatMoney(record.refundCents, currency)} (${formatMoney(price, currency)} minus the ${formatMoney(record.restockingFeeCents, currency)} restocking fee)`
        : `Your refund will be ${formatMoney(record.refundCents, currency)}`;
    lines.push(`${money}, issued to your original payment method within 3 business days after the item reaches our warehouse.`);
  } else if (record.exchange !== null && sentInstead !== null) {
    const difference = formatMoney(Math.abs(record.exchange.differenceCents), currency);
    if (record.exchange.differenceCents > 0) {
      lines.push(`We'll ship the ${sentInstead} as soon as the carrier scans your return, and charge the ${difference} difference to your original payment method then.`);
    } else if (record.exchange.differenceCents < 0) {
      lines.push(`We'll ship the ${sentInstead} as soon as the carrier scans your return, and refund the ${difference} difference to your original payment method after we inspect the ${item.name}.`);
    } else {
      lines.push(`We'll ship the ${sentInstead} as soon as the carrier scans your return; there is nothing to pay.`);
    }
  } else {
    lines.push(`We'll ship a replacement ${item.name} as soon as the carrier scans your return; there is nothing to pay.`);
  }
  lines.push(record.refundCents > 0 ? `You can ask me "where is my refund?" at any time.` : `You can ask me how this return is going at any time, with its RMA number.`);
  const replies: OutboundMessage[] = [{ kind: 'text', text: lines.join(' ') }];
  if (label !== null) replies.push(labelCard(record.rma, label));
  return replies;
}

/** The reply when the customer asks to return a line that already has a return: never a second RMA. */
export function describeExistingReturn(record: ReturnRecord, itemName: string, label: LabelLink | null): OutboundMessage[] {
  const replies: OutboundMessage[] = [
    {
      kind: 'text',
      text: `You already have a return for the ${itemName} from order ${record.orderNumber}: RMA ${record.rma} (${RETURN_STATUS_LABEL[record.status]}). There's no need to start another one.`,
    },
  ];
  const stillToSend = record.status === 'requested' || record.status === 'label_issued';
  if (label !== null && stillToSend) replies.push(labelCard(record.rma, label));
  return replies;
}
