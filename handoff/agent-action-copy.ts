import { formatDate } from '../bots/returns/policy.js';

/**
 * What the customer is told on their channel when an agent acted for them from the console
 * (handoff/agent-order-actions.ts). One place for the words, as the bot's copy is.
 */
export const AGENT_ACTION_COPY = {
  cancelled: (orderNumber: string, money: string) => `I've cancelled order ${orderNumber}; it won't be shipped. ${money} You'll get a confirmation email too.`,
  cancelledEmail: (shopName: string, orderNumber: string) => `Your ${shopName} order ${orderNumber} is cancelled`,
  cancelledEmailBody: (firstName: string, orderNumber: string, money: string) => `Hi ${firstName}, as you asked our support team, we cancelled order ${orderNumber}. ${money}`,
  addressChanged: (orderNumber: string, address: string) => `I've changed the delivery address of order ${orderNumber} to ${address}.`,
  returnStarted: (input: { product: string; orderNumber: string; rma: string; money: string; labelUrl: string | null; validDays: number }) =>
    `I've started the return of the ${input.product} from order ${input.orderNumber}: your return number is ${input.rma}. ${input.money}` +
    (input.labelUrl !== null
      ? ` Print your prepaid return label here (valid for ${input.validDays} days): ${input.labelUrl}`
      : ` Take it to any UPS Store with the return number; no label needed.`),
  refundMoney: (amount: string) => `Once it's back with us you'll get ${amount} to your original payment method.`,
  exchangeMoney: `Once it's back with us we'll send you the same product.`,
  refundRequested: (orderNumber: string, caseId: string) =>
    `I've asked our payments team to refund order ${orderNumber} (case ${caseId}). They process it within 1 business day and you'll get an email with the refund reference.`,
  paymentRetry: (orderNumber: string, caseId: string) =>
    `I've asked our payments team to retry the payment of order ${orderNumber} (case ${caseId}). If it goes through you'll get a confirmation email; if not, we'll contact you.`,
  caseOpened: (kind: 'repair' | 'warranty', about: string, caseId: string) =>
    `I've opened a ${kind === 'repair' ? 'repair' : 'warranty'} case for ${about}: case ${caseId}. Our team will email you the next steps within 1 business day.`,
  /** A person took the conversation on a channel without a status line of its own (SMS, WhatsApp, …): first name only. */
  joined: (firstName: string, shopName: string) => `${firstName} from ${shopName} has joined the conversation.`,
  warrantyEnded: (product: string, endedAt: Date) => `The warranty of the ${product} ended on ${formatDate(endedAt)}: open a repair case instead`,
} as const;
