/**
 * The words printed on a return label (bots/returns/label.ts), and those the label link's route
 * answers with (server/labels.ts). The date and the item list arrive
 * already formatted. The RMA is printed as it is: the warehouse scans and types it.
 */
export interface ReturnLabelCopy {
  /** The PDF's title, shown by viewers and as the downloaded document's name. */
  documentTitle(rma: string): string;
  heading(shopName: string): string;
  shipTo: string;
  returnAuthorization: string;
  order(orderNumber: string): string;
  items(items: string): string;
  instructions(validUntil: string, rma: string): string;
  /** One line of the item list: the product's name, with the quantity when more than one. */
  item(name: string, quantity: number): string;
  /** The label link's signature does not match (forged or mangled): answered before the RMA is looked up. */
  linkNotValid: string;
  linkExpired: string;
  /** A validly signed link whose RMA has no label (a drop-off return, or none). */
  noLabel(rma: string): string;
}

export const RETURN_LABEL_COPY_EN: ReturnLabelCopy = {
  documentTitle: (rma) => `Return label ${rma}`,
  heading: (shopName) => `${shopName} prepaid return`,
  shipTo: 'SHIP TO',
  returnAuthorization: 'RETURN AUTHORIZATION',
  order: (orderNumber) => `Order ${orderNumber}`,
  items: (items) => `Item: ${items}`,
  instructions: (validUntil, rma) =>
    `Valid until ${validUntil}. Stick this label on the outer box over any old labels and hand it to UPS. ` +
    `Write ${rma} on the box if it holds several items.`,
  item: (name, quantity) => (quantity > 1 ? `${quantity} × ${name}` : name),
  linkNotValid: 'This label link is not valid. Ask the assistant for your return label again.',
  linkExpired: 'This label link has expired. Ask the assistant for your return label again.',
  noLabel: (rma) => `No return label for ${rma}`,
};
