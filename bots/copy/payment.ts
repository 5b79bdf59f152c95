import type { ChoiceOption } from '../../core/message.js';

/**
 * The payment flow's words to the customer (bots/flows/payment.ts): a declined card, and a
 * double charge explained as an authorisation hold or taken up as a refund request. Amounts
 * arrive already formatted. Button values (`payment:…`, `intent:…`) are payloads: a locale keeps them.
 */
export interface PaymentCopy {
  /** What the identity gate says it needs the order for ("I can … for you"). */
  gatePurpose: string;
  orderNotFound(orderNumber: string): string;
  whichOrder: string;

  // Declined card
  declinedAdvice: string;
  didThatHelp: string;
  yesThanks: ChoiceOption;

  // Double charge
  thatsAll: ChoiceOption;
  anythingElse: string;
  alreadyRefunded(orderNumber: string, total: string): string;
  /** Nothing captured yet: `failed` when the payment did not go through, else it waits for shipping. */
  authorisationHold(orderNumber: string, failed: boolean, total: string): string;
  seeTwoPosted: ChoiceOption;
  willWait: ChoiceOption;
  holdComeBack: string;
  /** `existing`: a refund request for this order was already open, so none was added. */
  refundRequest(orderNumber: string, amount: string, caseId: string, existing: boolean): string;
}

export const PAYMENT_COPY_EN: PaymentCopy = {
  gatePurpose: 'look into the charges on your order',
  orderNotFound: (orderNumber) => `I couldn't find order ${orderNumber} on your account.`,
  whichOrder: 'Which order were you charged twice for?',

  declinedAdvice:
    `A declined payment is almost always decided by your bank, and no money is taken. The usual causes: ` +
    `the billing address doesn't match the one your bank has (including the ZIP code), a mistyped card number, expiry or CVV, ` +
    `a bank fraud check on a large purchase (approve it in your banking app), a 3-D Secure window that was closed or hidden by a pop-up blocker, ` +
    `or a spending limit. Wait 10 minutes before retrying, since several failures in a row can make your bank block the card for the day, ` +
    `or pay another way: PayPal, Apple Pay, Google Pay or another card.`,
  didThatHelp: 'Did that help?',
  yesThanks: { label: 'Yes, thanks', value: 'intent:thanks' },

  thatsAll: { label: "That's all, thanks", value: 'intent:thanks' },
  anythingElse: 'Anything else?',
  alreadyRefunded: (orderNumber, total) =>
    `Order ${orderNumber} was already refunded in full (${total}). Refunds to cards take 3–5 business days to show; after that, your bank's statement shows a credit.`,
  authorisationHold: (orderNumber, failed, total) =>
    `We haven't taken any money for order ${orderNumber} yet: ${failed ? 'the payment did not go through' : 'we only capture the payment when it ships'}. ` +
    `What you see is a pending authorisation hold of ${total}. A hold that isn't captured usually drops off by itself within 3–7 business days (up to 10 for some debit cards); only your bank can release it sooner. ` +
    `If you see two *posted* charges (not pending), I'll open a refund request.`,
  seeTwoPosted: { label: 'I see two posted charges', value: 'payment:posted' },
  willWait: { label: "OK, I'll wait", value: 'payment:wait' },
  holdComeBack: `OK. If the hold is still there after 5 business days, come back and I'll open a refund request.`,
  refundRequest: (orderNumber, amount, caseId, existing) =>
    `${existing ? `There's already an open refund request for order ${orderNumber}: ` : `I've opened a refund request for order ${orderNumber} (${amount}): `}` +
    `case ${caseId}. Our payments team checks it with our payment processor within 1 business day. If a duplicate is confirmed, we refund it straight away; ` +
    `card refunds take 3–5 business days to show, and you'll get an email with the refund reference. ` +
    `Note that a pending authorisation hold isn't a charge: it usually drops off within 3–7 business days without anything from you.`,
};
