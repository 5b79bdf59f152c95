/**
 * The return policy's explanations to the customer (bots/returns/policy.ts): why an item can or
 * can't come back, and what the warranty still covers. Dates and category labels ("TVs") arrive
 * already formatted; a locale arranges the words, including where a sentence starts with a label.
 */
export interface ReturnPolicyCopy {
  orderCancelled: string;
  alreadyReturned: string;
  notShipped: string;
  notDelivered: string;
  /** Appended to a refusal of a faulty item while the warranty runs: " Because it's faulty, …". */
  warrantyNote(until: string): string;
  nonReturnableCategory(categoryLabel: string, warrantyNote: string): string;
  finalSale(productName: string, warrantyNote: string): string;
  openedSealedOnly(categoryLabel: string, productName: string): string;
  /** `categoryLabel` is null when the category has no label of its own: the window is then the product's. */
  outsideWindow(categoryLabel: string | null, windowDays: number, productName: string, deliveredOn: string, closedOn: string, warrantyNote: string): string;
  returnableUntil(productName: string, until: string, holidayExtension: boolean): string;
  noFeeWhenFaulty: string;
  restockingFee(categoryLabel: string, feePercent: number): string;
  /** A refusal told before the questions, with the warranty offered in case the item is faulty. */
  coveredIfFaulty(explanation: string, until: string): string;
}

/** English starts these sentences with the category label ("TVs can't be returned"). */
function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const RETURN_POLICY_COPY_EN: ReturnPolicyCopy = {
  orderCancelled: `This order was cancelled, so there is nothing to return; any payment goes back to your original payment method.`,
  alreadyReturned: `This order has already been returned.`,
  notShipped: `This order hasn't shipped yet, so it can't be returned; you can still cancel it instead.`,
  notDelivered: `This order hasn't been delivered yet. The return window starts on the delivery date, so you can start a return once it arrives.`,
  warrantyNote: (until) => ` Because it's faulty, it's covered by the warranty until ${until}: we can repair or replace it.`,
  nonReturnableCategory: (categoryLabel, warrantyNote) => `${capitalise(categoryLabel)} can't be returned or refunded.${warrantyNote}`,
  finalSale: (productName, warrantyNote) => `The ${productName} was sold as final sale, so it can't be returned or exchanged.${warrantyNote}`,
  openedSealedOnly: (categoryLabel, productName) =>
    `${capitalise(categoryLabel)} can only be returned while still sealed, and the ${productName} has been opened.`,
  outsideWindow: (categoryLabel, windowDays, productName, deliveredOn, closedOn, warrantyNote) =>
    `The return window ${categoryLabel !== null ? `for ${categoryLabel} ` : ''}is ${windowDays} days from delivery. Your ${productName} was delivered on ${deliveredOn}, so the window closed on ${closedOn}.${warrantyNote}`,
  returnableUntil: (productName, until, holidayExtension) =>
    `Good news: the ${productName} can be returned until ${until}${holidayExtension ? ', as it was delivered in the holiday period' : ''}.`,
  noFeeWhenFaulty: `As it's faulty or damaged, there is no fee.`,
  restockingFee: (categoryLabel, feePercent) =>
    `Opened ${categoryLabel} returned for a change of mind carry a ${feePercent}% restocking fee, deducted from a refund (no fee on an exchange).`,
  coveredIfFaulty: (explanation, until) => `${explanation} If it's faulty, it's still covered by the warranty until ${until}: we can repair or replace it.`,
};
