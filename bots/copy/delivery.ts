import type { ChoiceOption } from '../../core/message.js';

/** What went wrong with a delivery, as the delivery-problem flow tells the cases apart. */
export type DeliveryProblemKind = 'late' | 'not_received' | 'damaged' | 'wrong_item';

/**
 * The delivery-problem flow's words to the customer (bots/flows/delivery-problem.ts): late,
 * missing, damaged or wrong deliveries. Days arrive already formatted. Button values
 * (`problem:…`, `intent:…`) are payloads: a locale keeps them. The case summary and the
 * handoff note are written for agents and stay in the flow.
 */
export interface DeliveryCopy {
  /** What the identity gate says it needs the order for ("I can … for you"). */
  gatePurpose: string;
  askProblem: string;
  /** One button per problem; the value's suffix is the `DeliveryProblemKind`. */
  problemOptions: ChoiceOption[];
  orderNotFound(orderNumber: string): string;
  whichOrder: string;

  // Damaged or wrong items
  notDeliveredYet(orderNumber: string): string;
  oursToFix(problem: Extract<DeliveryProblemKind, 'damaged' | 'wrong_item'>, orderNumber: string): string;
  returnOrExchange: ChoiceOption;
  talkToPerson: ChoiceOption;

  // Marked delivered, not received
  tooLateToTrace(orderNumber: string, deliveredDay: string, reportWithinDays: number): string;
  /** " on Wed, Dec 2" after "delivered", or nothing when the day is unknown. */
  onDay(day: string): string;
  /** `carrier` is null when the shipment names none. */
  markedDelivered(carrier: string | null, orderNumber: string, on: string): string;
  checkAround: string;

  // Late
  pastEstimate(orderNumber: string, daysLate: number, estimateDay: string): string;
  behindEstimate(traceFromDay: string): string;
  withinEstimate: string;

  // The carrier trace
  alreadyTracing(caseId: string): string;
  traceOpened(caseId: string, carrier: string | null): string;
  /** `what` happened, the case (`alreadyTracing` or `traceOpened`), what comes next, and `meanwhile` (may be empty). */
  traceNextSteps(what: string, theCase: string, meanwhile: string): string;
}

export const DELIVERY_COPY_EN: DeliveryCopy = {
  gatePurpose: 'look into your delivery',
  askProblem: `I'm sorry something went wrong with your delivery. What happened?`,
  problemOptions: [
    { label: "It's late", value: 'problem:late' },
    { label: "Says delivered, but I don't have it", value: 'problem:not_received' },
    { label: 'It arrived damaged', value: 'problem:damaged' },
    { label: 'Wrong or missing item', value: 'problem:wrong_item' },
  ],
  orderNotFound: (orderNumber) => `I couldn't find order ${orderNumber} on your account.`,
  whichOrder: 'Which order is it about?',

  notDeliveredYet: (orderNumber) => `Tracking doesn't show order ${orderNumber} as delivered yet. If what arrives is damaged or wrong, come back and I'll sort it out.`,
  oursToFix: (problem, orderNumber) =>
    `I'm sorry! ${problem === 'damaged' ? 'Damage in transit' : 'A wrong or missing item'} is ours to fix, and you never pay for shipping on it. ` +
    `Please keep the item and the packaging. I can start a free return or exchange for order ${orderNumber} now, or pass you to a colleague (e.g. for a TV or a very large item).`,
  returnOrExchange: { label: 'Return or exchange it', value: 'intent:return_request' },
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },

  tooLateToTrace: (orderNumber, deliveredDay, reportWithinDays) =>
    `Order ${orderNumber} was marked delivered on ${deliveredDay}, more than ${reportWithinDays} days ago, so I can't start a carrier trace myself. I'm passing you to a colleague who can look into it.`,
  onDay: (day) => ` on ${day}`,
  markedDelivered: (carrier, orderNumber, on) => `${carrier ?? 'The carrier'} marked order ${orderNumber} as delivered${on}.`,
  checkAround: `Meanwhile, please check around the address (porch, mailroom, neighbours) and the delivery photo on the carrier's tracking page: most "missing" parcels turn up within a day.`,

  pastEstimate: (orderNumber, daysLate, estimateDay) => `Order ${orderNumber} is ${daysLate} days past its estimated delivery (${estimateDay}).`,
  behindEstimate: (traceFromDay) =>
    `It's a little behind the estimate. Carriers don't scan at every stop, and most late parcels arrive within a few days. If it still hasn't arrived by ${traceFromDay}, come back and I'll open a trace with the carrier.`,
  withinEstimate: `It's on its way and still within the estimated delivery window, so nothing has gone wrong yet. The tracking link shows the latest scan.`,

  alreadyTracing: (caseId) => `We're already on it: case ${caseId}.`,
  traceOpened: (caseId, carrier) => `I've opened case ${caseId} and we'll ask ${carrier ?? 'the carrier'} to trace the parcel today.`,
  traceNextSteps: (what, theCase, meanwhile) =>
    `${what} ${theCase} ` +
    `What happens next: a colleague may email you to confirm the address and any safe place the driver could have used. ` +
    `If the carrier can't find it within 5 business days, we send a replacement or a full refund, whichever you prefer; you don't need to wait for the carrier's final answer. ${meanwhile}`.trim(),
};
