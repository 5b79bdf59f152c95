import type { ChoiceOption } from '../../core/message.js';
import type { OrderStatus } from '../../core/order-status.js';

/**
 * The order flows' words to the customer: order status, the order picker, cancelling an order
 * and changing its delivery address (bots/flows/order-*.ts). Dates, amounts and addresses arrive
 * already formatted, so a locale only arranges words. Button values are payloads: a locale keeps them.
 */
export interface OrdersCopy {
  statusLabel: Record<OrderStatus, string>;
  talkToPerson: ChoiceOption;
  /** A line of the order list: number, first item, status, day placed. */
  orderOption(orderNumber: string, firstItem: string | null, status: string, placedDay: string): string;
  orderNotFound(orderNumber: string): string;
  noOrders: string;
  lostTrack: string;

  // Order status (order-status.ts, order-format.ts)
  whichOrderToCheck: string;
  anythingElse: string;
  anotherOrder: ChoiceOption;
  thatsAll: ChoiceOption;
  today(day: string): string;
  tomorrow(day: string): string;
  /** " on Wed, Dec 2": when a status was reached, or nothing when unknown. */
  onDay(day: string): string;
  /** " with UPS". */
  withCarrier(carrier: string): string;
  arrivesToday: string;
  arrives(when: string): string;
  placed(placedDay: string): string;
  paid(on: string): string;
  packed(on: string): string;
  shipped(on: string, carrier: string): string;
  estimatedDelivery(when: string): string;
  outForDelivery(carrier: string, arrival: string): string;
  delivered(on: string): string;
  cancelledOrder(on: string): string;
  returnedOrder(on: string): string;
  unknownStatus(status: string): string;
  trackingNumber(tracking: string): string;
  items(items: string): string;
  itemLine(quantity: number, name: string): string;
  orderCardTitle(orderNumber: string, status: string): string;
  trackWith(carrier: string): string;

  // Which order to change (order-change.ts)
  whichOrderToCancel: string;
  whichOrderNewAddress: string;

  // Cancelling (order-cancel.ts)
  cancelYes: string;
  cancelNo: string;
  packedNote: string;
  offerCancel(orderNumber: string, items: string, total: string, packedNote: string): string;
  confirmCancelAgain(orderNumber: string): string;
  keptOrder(orderNumber: string): string;
  cancelDone(orderNumber: string, money: string): string;
  cancelEmailSubject(shopName: string, orderNumber: string): string;
  cancelEmailBody(firstName: string, orderNumber: string, money: string): string;
  changedMeanwhile(orderNumber: string): string;
  alreadyCancelled(orderNumber: string): string;
  alreadyReturned(orderNumber: string): string;
  deliveredCannotCancel(orderNumber: string): string;
  shippedCannotCancel(orderNumber: string, on: string, carrier: string, status: string): string;
  startReturn: ChoiceOption;
  refunded(amount: string): string;
  voided: string;
  paymentGoesBack: string;

  // Address change (order-address-change.ts)
  reviewAboveLimit: string;
  askNewAddress(orderNumber: string, current: string | null): string;
  keepAddress: ChoiceOption;
  changeYes: string;
  changeNo: string;
  keptAddress(orderNumber: string): string;
  addressMissing(parts: string): string;
  sameCountryOnly: string;
  confirmAddress(orderNumber: string, address: string): string;
  confirmAddressAgain(orderNumber: string): string;
  nothingChanged: string;
  addressDone(orderNumber: string, address: string): string;
  addressChangedMeanwhile(orderNumber: string): string;
  addressEmailSubject(shopName: string, orderNumber: string): string;
  addressEmailBody(orderNumber: string, address: string): string;
  withCarrierCannotChange(orderNumber: string, carrier: string | null, status: string, redirectHint: string, trackingUrl: string | null): string;
  noAddressToChange(orderNumber: string, status: string): string;
  redirectHint(carrier: string | undefined): string;
}

export const ORDERS_COPY_EN: OrdersCopy = {
  statusLabel: {
    placed: 'Placed',
    paid: 'Paid',
    packed: 'Packed',
    shipped: 'Shipped',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
    returned: 'Returned',
  },
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },
  orderOption: (orderNumber, firstItem, status, placedDay) => `${orderNumber} · ${firstItem ?? 'order'} · ${status} · ${placedDay}`,
  orderNotFound: (orderNumber) => `I couldn't find order ${orderNumber} on your account.`,
  noOrders: `I don't see any orders on your account yet.`,
  lostTrack: `Sorry, I lost track of which order you meant. Please tell me the order number again.`,

  whichOrderToCheck: 'Which order would you like to check?',
  anythingElse: 'Anything else I can help with?',
  anotherOrder: { label: 'Another order', value: 'intent:order_status' },
  thatsAll: { label: "That's all, thanks", value: 'intent:thanks' },
  today: (day) => `today (${day})`,
  tomorrow: (day) => `tomorrow (${day})`,
  onDay: (day) => ` on ${day}`,
  withCarrier: (carrier) => ` with ${carrier}`,
  arrivesToday: 'should arrive today',
  arrives: (when) => `should arrive ${when}`,
  placed: (placedDay) => `We've received your order (placed ${placedDay}) and are waiting for payment confirmation.`,
  paid: (on) => `Payment is confirmed${on} and we're preparing your order for shipping.`,
  packed: (on) => `Your order was packed${on} and is waiting for the carrier to pick it up.`,
  shipped: (on, carrier) => `Your order shipped${on}${carrier}.`,
  estimatedDelivery: (when) => `Estimated delivery: ${when}.`,
  outForDelivery: (carrier, arrival) => `Your order is out for delivery${carrier} and ${arrival}.`,
  delivered: (on) => `Your order was delivered${on}.`,
  cancelledOrder: (on) => `This order was cancelled${on}. Any payment is refunded to the original payment method within 5–10 business days.`,
  returnedOrder: (on) => `This order was returned${on}. Your refund goes to the original payment method.`,
  unknownStatus: (status) => `Status: ${status}.`,
  trackingNumber: (tracking) => `Tracking number: ${tracking}.`,
  items: (items) => `Items: ${items}.`,
  itemLine: (quantity, name) => (quantity > 1 ? `${quantity} × ${name}` : name),
  orderCardTitle: (orderNumber, status) => `Order ${orderNumber}: ${status}`,
  trackWith: (carrier) => `Track with ${carrier}`,

  whichOrderToCancel: 'Which order would you like to cancel?',
  whichOrderNewAddress: 'Which order should go to a new address?',

  cancelYes: 'Yes, cancel it',
  cancelNo: 'No, keep it',
  packedNote: ` It's packed and waiting for the carrier, so if you cancel now it won't be sent.`,
  offerCancel: (orderNumber, items, total, packedNote) =>
    `Order ${orderNumber} (${items}, ${total}) hasn't shipped yet, so I can cancel it.${packedNote} Shall I cancel the whole order?`,
  confirmCancelAgain: (orderNumber) => `Just to be sure: shall I cancel order ${orderNumber}?`,
  keptOrder: (orderNumber) => `No problem, order ${orderNumber} stays as it is.`,
  cancelDone: (orderNumber, money) => `Done: order ${orderNumber} is cancelled and won't be shipped. ${money} You'll get a confirmation email too.`,
  cancelEmailSubject: (shopName, orderNumber) => `Your ${shopName} order ${orderNumber} is cancelled`,
  cancelEmailBody: (firstName, orderNumber, money) => `Hi ${firstName}, as you asked in chat, we cancelled order ${orderNumber}. ${money}`,
  changedMeanwhile: (orderNumber) => `I'm sorry, order ${orderNumber} changed while we were talking.`,
  alreadyCancelled: (orderNumber) =>
    `Order ${orderNumber} is already cancelled. Any payment goes back to your original payment method within 5–10 business days.`,
  alreadyReturned: (orderNumber) => `Order ${orderNumber} was already returned, so there's nothing left to cancel.`,
  deliveredCannotCancel: (orderNumber) =>
    `Order ${orderNumber} was already delivered, so it can't be cancelled. You can return it instead: unopened items in their original packaging go back free of charge within the return window.`,
  shippedCannotCancel: (orderNumber, on, carrier, status) =>
    `Order ${orderNumber} already shipped${on}${carrier} (${status}), so it can't be cancelled anymore. ` +
    `You can refuse the delivery and we refund you once it's back with us, or accept it and start a return: unopened items in their original packaging go back free of charge within the return window.`,
  startReturn: { label: 'Start a return', value: 'intent:return_request' },
  refunded: (amount) => `We've refunded ${amount} to your original payment method; banks take 5–10 business days to show it.`,
  voided: `You haven't been charged: we voided the payment authorisation. A pending amount may show on your statement for 3–7 business days before it disappears.`,
  paymentGoesBack: `Any payment goes back to your original payment method within 5–10 business days.`,

  reviewAboveLimit: `For your security, a new address on an order over $1,000 has to be confirmed by our team. I'm passing you to a colleague who can do that now.`,
  askNewAddress: (orderNumber, current) =>
    `Order ${orderNumber} is going to ${current ?? 'the address you gave at checkout'}. ` +
    `What's the new address? Please send it in one message: street, city, postal code, country (e.g. "12 Oak Street, Portland, 97205, US").`,
  keepAddress: { label: 'Keep the current address', value: 'confirm:no' },
  changeYes: 'Yes, change it',
  changeNo: 'No',
  keptAddress: (orderNumber) => `OK, order ${orderNumber} keeps its current address.`,
  addressMissing: (parts) => `I couldn't find ${parts} in that. Please send the whole address in one message: street, city, postal code, country.`,
  sameCountryOnly: `I can only change the address within the same country here: duties, taxes and what we can ship differ from country to country. A member of our team can help you with a move abroad.`,
  confirmAddress: (orderNumber, address) => `Change the delivery address of order ${orderNumber} to: ${address}?`,
  confirmAddressAgain: (orderNumber) => `Shall I change the delivery address of order ${orderNumber}?`,
  nothingChanged: `OK, I haven't changed anything. Send me the corrected address, or keep the current one.`,
  addressDone: (orderNumber, address) => `Done: order ${orderNumber} will be delivered to ${address}. We've emailed you a confirmation.`,
  addressChangedMeanwhile: (orderNumber) => `I'm sorry, order ${orderNumber} changed while we were talking, and I couldn't update the address.`,
  addressEmailSubject: (shopName, orderNumber) => `New delivery address for ${shopName} order ${orderNumber}`,
  addressEmailBody: (orderNumber, address) =>
    `The delivery address of order ${orderNumber} was changed in chat to: ${address}. If you didn't make this change, contact us right away.`,
  withCarrierCannotChange: (orderNumber, carrier, status, redirectHint, trackingUrl) =>
    `Order ${orderNumber} is already with ${carrier ?? 'the carrier'} (${status}), so we can't change the address in our system anymore. ` +
    `The carrier can often redirect it: ${redirectHint}${trackingUrl !== null ? ` Tracking: ${trackingUrl}` : ''} ` +
    `Or let the delivery fail: the parcel comes back to us and we refund you in full.`,
  noAddressToChange: (orderNumber, status) => `Order ${orderNumber} is ${status.toLowerCase()}, so there's no delivery address left to change.`,
  redirectHint: (carrier) => {
    switch (carrier) {
      case 'UPS':
        return 'with a free UPS My Choice account and the tracking number you can send it to another address or a UPS Access Point (UPS may charge a small fee).';
      case 'USPS':
        return 'request Package Intercept at usps.com (USPS charges a fee).';
      case 'DHL':
        return 'use "Change delivery" on the DHL tracking page.';
      case 'FedEx':
        return 'use "Change delivery" on the FedEx tracking page.';
      default:
        return "look for a delivery-change option on the carrier's tracking page.";
    }
  },
};
