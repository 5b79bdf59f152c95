import type { ChoiceOption } from '../../core/message.js';

/**
 * The warranty flow's words to the customer (bots/flows/warranty.ts): whether a product is
 * still covered, the paid repair when it is not, and the warranty claim. Days arrive already
 * formatted. Button values (`warranty:…`, `intent:…`) are payloads: a locale keeps them. The
 * case summary is written for agents and stays in the flow.
 */
export interface WarrantyCopy {
  /** What the identity gate says it needs the order for ("I can … for you"). */
  gatePurpose: string;
  /** The title of the card that carries every warranty answer. */
  cardTitle: string;
  /** The link under it to the warranty article; `shopName` is SHOP_NAME. */
  articleLinkTitle(shopName: string): string;
  /** `named`: the customer named a product or kind of device, which none of their orders holds. */
  notInOrders(named: boolean): string;
  whichProduct: string;
  productOption(productName: string, orderNumber: string): string;

  /** "Your … from order … (day)": the start of each answer below. */
  bought(productName: string, orderNumber: string, purchasedDay: string): string;
  noWarranty(bought: string): string;
  expired(bought: string, months: number, endedDay: string): string;
  covered(bought: string, months: number, untilDay: string): string;

  repairCard: { title: string; text: string; linkTitle: string };
  askRepairHelp: string;
  talkToPerson: ChoiceOption;

  offerClaim: string;
  /** Open a claim (`warranty:claim`), or not (`warranty:no`). */
  claimOptions: ChoiceOption[];
  declined: string;
  claimOpened(caseId: string, productName: string): string;
}

export const WARRANTY_COPY_EN: WarrantyCopy = {
  gatePurpose: 'check your warranty',
  cardTitle: 'Warranty',
  articleLinkTitle: (shopName) => `What the ${shopName} warranty covers`,
  notInOrders: (named) =>
    `I couldn't find ${named ? 'that product' : 'a product with a warranty'} in your orders. Products bought elsewhere are covered too: start a claim with your receipt from the article below.`,
  whichProduct: 'Which product is it about?',
  productOption: (productName, orderNumber) => `${productName} · order ${orderNumber}`,

  bought: (productName, orderNumber, purchasedDay) => `Your ${productName} from order ${orderNumber} (${purchasedDay})`,
  noWarranty: (bought) => `${bought} doesn't carry a warranty.`,
  expired: (bought, months, endedDay) => `${bought} was covered by the ${months}-month warranty until ${endedDay}, so it has expired.`,
  covered: (bought, months, untilDay) => `${bought} is covered by the ${months}-month warranty until ${untilDay}.`,

  repairCard: { title: 'Paid repair', text: 'Our repair service can still fix it: you get a quote before any work starts.', linkTitle: 'Repair service' },
  askRepairHelp: 'Would you like a person to help arrange a repair?',
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },

  offerClaim: 'Would you like me to open a warranty claim?',
  claimOptions: [
    { label: 'Open a warranty claim', value: 'warranty:claim' },
    { label: 'No, thanks', value: 'warranty:no' },
  ],
  declined: `No problem. If you change your mind, just ask about your warranty again.`,
  claimOpened: (caseId, productName) =>
    `I've opened warranty case ${caseId} for your ${productName}. Our repair team will email you within one business day with how to send it in or get an advance replacement.`,
};
