import type { ChoiceOption } from '../../core/message.js';
import type { ReturnStatus } from '../../core/return-status.js';
import type { ReturnAlternative } from '../returns/policy.js';

/**
 * The returns flow's words to the customer (bots/flows/returns.ts and its helpers in
 * bots/returns/). Amounts arrive already formatted, so a locale only arranges words.
 * Button values (`return-condition:…`, `intent:…`) are payloads, not words: a locale keeps them.
 */
export interface ReturnsCopy {
  conditionOptions: ChoiceOption[];
  reasonOptions: ChoiceOption[];
  resolutionOptions: ChoiceOption[];
  methodOptions: ChoiceOption[];
  confirmOptions: ChoiceOption[];
  alternativeOptions: Record<ReturnAlternative, ChoiceOption>;
  /** Offered after a return ends or is refused. */
  returnAnotherItem: ChoiceOption;
  /** The refund-or-exchange button naming the product wanted instead. */
  exchangeForOption(productName: string): ChoiceOption;
  /** The words the articles (where-is-my-refund.md) use for each return status. */
  statusLabel: Record<ReturnStatus, string>;

  askCondition(itemName: string): string;
  askReason: string;
  askResolution: string;
  askMethod: string;
  /** What the customer confirms: item, order, what they get (`money`), how it travels. */
  confirmReturn(itemName: string, orderNumber: string, money: string, how: string): string;
  confirmRefund(refund: string, restockingFee: string | null): string;
  confirmExchangeFor(productName: string, differenceNote: string): string;
  confirmExchangeSame: string;
  confirmHow(method: 'label' | 'drop_off'): string;
  cancelled: string;

  orderNotFound(orderNumber: string): string;
  aboutOrder(orderNumber: string, explanation: string): string;
  noDeliveredOrders: string;
  whichOrder: string;
  orderOption(orderNumber: string, firstItem: string | null): string;
  whichItem(orderNumber: string): string;
  itemOption(quantity: number, itemName: string, unitPrice: string): string;
  /** The item list's last option: every item of the order in one return (value `return-item:all`). */
  allItemsOption(count: number): ChoiceOption;
  /** Several items named where the questions name one ("Return the … from order …"). */
  theseItems(itemNames: readonly string[]): string;
  askConditionOfItems(itemNames: readonly string[]): string;
  /** An item of a several-item return the policy refuses; the others go ahead. */
  leftOut(itemName: string, explanation: string): string;

  warrantyOpened(caseId: string, itemName: string): string;
  offerWarranty: string;
  anythingElse: string;

  exchangeOtherKind(itemName: string): string;
  exchangeOtherCategory(wantedName: string, itemName: string): string;
  exchangeNotOrderable(wantedName: string): string;
  youPayDifference(amount: string): string;
  weRefundDifference(amount: string): string;

  labelCardTitle(rma: string): string;
  labelCardText(validDays: number): string;
  labelDownload: string;
  booked(rma: string): string;
  packWithLabel(itemName: string): string;
  dropOffAt(itemName: string, rma: string): string;
  refundWillBe(refund: string, price: string | null, restockingFee: string | null): string;
  refundIssued(money: string): string;
  exchangeChargeDifference(productName: string, difference: string): string;
  exchangeRefundDifference(productName: string, difference: string, itemName: string): string;
  exchangeSamePrice(productName: string): string;
  replacementSame(itemName: string): string;
  askAboutRefund: string;
  askAboutReturn: string;
  alreadyReturned(itemName: string, orderNumber: string, rma: string, status: string): string;
}

export const RETURNS_COPY_EN: ReturnsCopy = {
  conditionOptions: [
    { label: 'Unopened, still sealed', value: 'return-condition:unopened' },
    { label: 'Opened, works fine', value: 'return-condition:opened' },
    { label: 'Damaged or faulty', value: 'return-condition:defective' },
  ],
  reasonOptions: [
    { label: 'Changed my mind', value: 'return-reason:changed_mind' },
    { label: 'Not what I expected', value: 'return-reason:not_as_expected' },
    { label: 'Wrong item sent', value: 'return-reason:wrong_item' },
  ],
  resolutionOptions: [
    { label: 'Refund', value: 'return-resolution:refund' },
    { label: 'Exchange for the same product', value: 'return-resolution:exchange' },
  ],
  methodOptions: [
    { label: 'Prepaid label (print at home)', value: 'return-method:label' },
    { label: 'Drop off at a UPS Store', value: 'return-method:drop_off' },
  ],
  confirmOptions: [
    { label: 'Yes, confirm', value: 'return-confirm:yes' },
    { label: 'No, cancel', value: 'return-confirm:no' },
  ],
  alternativeOptions: {
    warranty_claim: { label: 'Open a warranty claim', value: 'return-alt:warranty' },
    cancel_order: { label: 'Cancel the order', value: 'intent:order_cancel' },
    wait_for_delivery: { label: 'Track the order', value: 'intent:order_status' },
    talk_to_person: { label: 'Talk to a person', value: 'intent:human_agent' },
  },
  returnAnotherItem: { label: 'Return a different item', value: 'intent:return_request' },
  exchangeForOption: (productName) => ({ label: `Exchange for the ${productName}`, value: 'return-resolution:exchange' }),
  statusLabel: {
    requested: 'Return started',
    label_issued: 'Return started, label issued',
    in_transit: 'In transit to us',
    received: 'Received at our warehouse',
    refunded: 'Refund issued',
    exchanged: 'Exchange shipped',
    rejected: 'Return rejected',
  },

  askCondition: (itemName) => `What condition is the ${itemName} in?`,
  askReason: `Why are you returning it?`,
  askResolution: 'Would you like a refund or an exchange?',
  askMethod: 'How would you like to send it back?',
  confirmReturn: (itemName, orderNumber, money, how) => `Return the ${itemName} from order ${orderNumber} ${money}, ${how}. Confirm return?`,
  confirmRefund: (refund, restockingFee) => `for a refund of ${refund}${restockingFee !== null ? ` (after the ${restockingFee} restocking fee)` : ''}`,
  confirmExchangeFor: (productName, differenceNote) => `for the ${productName}${differenceNote}`,
  confirmExchangeSame: `for an exchange (same product)`,
  confirmHow: (method) => (method === 'label' ? 'with a prepaid label' : 'dropped off at a UPS Store'),
  cancelled: `OK, I've cancelled this return; nothing was booked. Anything else I can help with?`,

  orderNotFound: (orderNumber) => `I couldn't find order ${orderNumber} on your account.`,
  aboutOrder: (orderNumber, explanation) => `About order ${orderNumber}: ${explanation}`,
  noDeliveredOrders: `I don't see any delivered orders on your account that could be returned.`,
  whichOrder: 'Which order is the item from?',
  orderOption: (orderNumber, firstItem) => `${orderNumber} · ${firstItem ?? 'order'} · delivered`,
  whichItem: (orderNumber) => `Which item from order ${orderNumber} would you like to return?`,
  itemOption: (quantity, itemName, unitPrice) => `${quantity > 1 ? `${quantity} × ` : ''}${itemName} · ${unitPrice}`,
  allItemsOption: (count) => ({ label: count === 2 ? 'Both items' : `All ${count} items`, value: 'return-item:all' }),
  theseItems: (itemNames) => (itemNames.length < 2 ? (itemNames[0] ?? '') : `${itemNames.slice(0, -1).join(', the ')} and the ${itemNames.at(-1)}`),
  askConditionOfItems: (itemNames) => `What condition are the ${RETURNS_COPY_EN.theseItems(itemNames)} in?`,
  leftOut: (itemName, explanation) => `The ${itemName} can't go back with the others: ${explanation}`,

  warrantyOpened: (caseId, itemName) =>
    `I've opened warranty claim ${caseId} for your ${itemName}. Our repairs team will email you within 1 business day with how to send it in; repair or replacement costs you nothing.`,
  offerWarranty: 'Would you like me to open a warranty claim?',
  anythingElse: 'Is there anything else I can help with?',

  exchangeOtherKind: (itemName) =>
    `An exchange is for another model or colour of the same kind of product: I can refund the ${itemName} instead, and you can order the new one separately.`,
  exchangeOtherCategory: (wantedName, itemName) =>
    `An exchange is for another model or colour of the same kind of product, and the ${wantedName} isn't one: I can refund the ${itemName} instead, and you can order the ${wantedName} separately.`,
  exchangeNotOrderable: (wantedName) => `The ${wantedName} can't be ordered as an exchange.`,
  youPayDifference: (amount) => ` (you pay the ${amount} difference)`,
  weRefundDifference: (amount) => ` (we refund the ${amount} difference)`,

  labelCardTitle: (rma) => `Return label ${rma}`,
  labelCardText: (validDays) =>
    `Print the label, stick it on the outer box over any old labels and hand the parcel to UPS. The link works for ${validDays} days.`,
  labelDownload: 'Download your return label (PDF)',
  booked: (rma) => `Your return is booked. Your RMA number is ${rma}.`,
  packWithLabel: (itemName) => `Pack the ${itemName} with everything that came in the box and send it back with the prepaid label below.`,
  dropOffAt: (itemName, rma) => `Take the ${itemName} to any UPS Store and give them RMA ${rma}; staff pack it for free if you don't have a box.`,
  refundWillBe: (refund, price, restockingFee) =>
    price !== null && restockingFee !== null
      ? `Your refund will be ${refund} (${price} minus the ${restockingFee} restocking fee)`
      : `Your refund will be ${refund}`,
  refundIssued: (money) => `${money}, issued to your original payment method within 3 business days after the item reaches our warehouse.`,
  exchangeChargeDifference: (productName, difference) =>
    `We'll ship the ${productName} as soon as the carrier scans your return, and charge the ${difference} difference to your original payment method then.`,
  exchangeRefundDifference: (productName, difference, itemName) =>
    `We'll ship the ${productName} as soon as the carrier scans your return, and refund the ${difference} difference to your original payment method after we inspect the ${itemName}.`,
  exchangeSamePrice: (productName) => `We'll ship the ${productName} as soon as the carrier scans your return; there is nothing to pay.`,
  replacementSame: (itemName) => `We'll ship a replacement ${itemName} as soon as the carrier scans your return; there is nothing to pay.`,
  askAboutRefund: `You can ask me "where is my refund?" at any time.`,
  askAboutReturn: `You can ask me how this return is going at any time, with its RMA number.`,
  alreadyReturned: (itemName, orderNumber, rma, status) =>
    `You already have a return for the ${itemName} from order ${orderNumber}: RMA ${rma} (${status}). There's no need to start another one.`,
};

/** "Where is my refund?": the flow's questions (bots/flows/refund-status.ts) and the answers from a return or an order (bots/returns/refund-answer.ts, order-refund-answer.ts). */
export interface RefundCopy {
  /** How long the bank takes after we issue a refund, per payment method (refund-timelines.md). */
  timelines: ReadonlyArray<readonly [string, string]>;
  /** The timelines as one sentence, from `timelines` joined. */
  onceIssued(timelines: string): string;
  untilYouSee(timelines: string): string;
  timelineEntry(how: string, time: string): string;
  cardTitle: string;
  cardByMethod: string;
  cardLink: string;
  what(rma: string, itemName: string, orderNumber: string): string;
  issueRefund(amount: string): string;
  shipReplacement: string;
  afterArrival(refundOrExchange: string, days: number): string;
  requested(what: string, afterArrival: string): string;
  labelIssued(what: string, afterArrival: string): string;
  inTransit(what: string, afterArrival: string): string;
  received(what: string, refundOrExchange: string, days: number): string;
  refunded(what: string, amount: string, day: string, timelines: string): string;
  exchanged(what: string, day: string): string;
  rejected(what: string): string;
  unknownStatus(what: string, status: string): string;
  /** " on Dec 2": when the order reached a status, or nothing when unknown. */
  onDay(day: string): string;
  partOfAmount: string;
  orderCancelledRefunded(orderNumber: string, on: string, amount: string, timelines: string): string;
  orderCancelledPaid(orderNumber: string, on: string, amount: string, days: number, timelines: string): string;
  orderCancelledUnpaid(orderNumber: string, on: string): string;
  orderReturnedRefunded(orderNumber: string, on: string, amount: string, timelines: string): string;
  orderReturned(orderNumber: string, on: string, amount: string, timelines: string): string;
  orderRefunded(orderNumber: string, amount: string, timelines: string): string;

  // The refund-status flow's own questions (bots/flows/refund-status.ts)
  /** How the identity check's first question names the task ("I can check your refund for you."). */
  verifyPurpose: string;
  noReturnForOrder(orderNumber: string): string;
  noReturns: string;
  /** After `noReturnForOrder` or `noReturns`. */
  offerToStartReturn(none: string): string;
  startReturn: ChoiceOption;
  whichReturn: string;
  returnOption(rma: string, orderNumber: string, status: string): string;
}

export const REFUND_COPY_EN: RefundCopy = {
  timelines: [
    ['Credit card', '3–5 business days (some banks take up to 10)'],
    ['Debit card', '5–10 business days'],
    ['Apple Pay or Google Pay', 'same as the card behind it'],
    ['PayPal', '1–2 business days'],
    ['Klarna', 'your plan is updated within 3–5 business days'],
    ['Voltline gift card or store credit', 'instantly'],
  ],
  onceIssued: (timelines) => `Once issued, the time until you see it depends on how you paid: ${timelines}.`,
  untilYouSee: (timelines) => `How long until you see it depends on how you paid: ${timelines}.`,
  timelineEntry: (how, time) => `${how}: ${time}`,
  cardTitle: 'How long refunds take',
  cardByMethod: 'By payment method, after we issue the refund.',
  cardLink: 'Refund timelines',
  what: (rma, itemName, orderNumber) => `your return ${rma} (${itemName}, order ${orderNumber})`,
  issueRefund: (amount) => `issue your refund of ${amount}`,
  shipReplacement: 'ship your replacement',
  afterArrival: (refundOrExchange, days) => `Once it arrives we inspect it and ${refundOrExchange} within ${days} business days.`,
  requested: (what, afterArrival) => `About ${what}: we're waiting for the parcel. Drop it off at any UPS Store with your RMA number. ${afterArrival}`,
  labelIssued: (what, afterArrival) => `About ${what}: we're waiting for the parcel; the carrier hasn't scanned your label yet. ${afterArrival}`,
  inTransit: (what, afterArrival) => `About ${what}: the carrier has your parcel. Returns take 3–7 business days to reach our warehouse. ${afterArrival}`,
  received: (what, refundOrExchange, days) => `About ${what}: it has arrived at our warehouse. We'll ${refundOrExchange} within ${days} business days.`,
  refunded: (what, amount, day, timelines) =>
    `About ${what}: we refunded ${amount} to your original payment method on ${day}. ${timelines} Still nothing after 10 business days? Tell us and we'll send the reference number your bank can trace.`,
  exchanged: (what, day) => `About ${what}: your replacement shipped on ${day}; there's no refund on an exchange.`,
  rejected: (what) =>
    `About ${what}: the return was rejected because the item didn't meet the return conditions (for example missing parts or damage that wasn't there on delivery). We've emailed you photos and the reason, and we send the item back to you free of charge.`,
  unknownStatus: (what, status) => `About ${what}: status ${status}.`,
  onDay: (day) => ` on ${day}`,
  partOfAmount: 'part of the amount (the rest stays with the items you kept)',
  orderCancelledRefunded: (orderNumber, on, amount, timelines) =>
    `Order ${orderNumber} was cancelled${on} and we refunded ${amount} to your original payment method. ${timelines}`,
  orderCancelledPaid: (orderNumber, on, amount, days, timelines) =>
    `Order ${orderNumber} was cancelled${on}. The refund of ${amount} is issued to your original payment method within ${days} business days of the cancellation. ${timelines}`,
  orderCancelledUnpaid: (orderNumber, on) =>
    `Order ${orderNumber} was cancelled${on} before any payment was taken, so there is nothing to refund. A pending authorisation on your card drops off by itself within a few days.`,
  orderReturnedRefunded: (orderNumber, on, amount, timelines) =>
    `We received the return of order ${orderNumber}${on} and refunded ${amount} to your original payment method. ${timelines}`,
  orderReturned: (orderNumber, on, amount, timelines) =>
    `We received the return of order ${orderNumber}${on}. We inspect it and issue your refund of ${amount} within 3 business days. ${timelines}`,
  orderRefunded: (orderNumber, amount, timelines) => `We refunded ${amount} of order ${orderNumber} to your original payment method. ${timelines}`,

  verifyPurpose: 'check your refund',
  noReturnForOrder: (orderNumber) => `I don't see a return for order ${orderNumber} on your account.`,
  noReturns: `I don't see any returns on your account.`,
  offerToStartReturn: (none) => `${none} If you'd like to send something back, I can start a return now.`,
  startReturn: { label: 'Start a return', value: 'intent:return_request' },
  whichReturn: 'Which return are you asking about?',
  returnOption: (rma, orderNumber, status) => `${rma} · order ${orderNumber} · ${status}`,
};
