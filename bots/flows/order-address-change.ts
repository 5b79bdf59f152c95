import { ShippingAddressSchema, type ShippingAddress } from '../../core/shipping-address.js';
import { isChangeable } from '../../db/order-changes.js';
import type { OrderDetails } from '../../db/orders.js';
import type { FlowContext, Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { STATUS_LABEL } from './order-format.js';
import { TALK_TO_PERSON, YES_NO, yesOrNo } from './order-picker.js';
import { correctedStreet, formatAddress, listParts, parseShippingAddress } from './shipping-address.js';

export const ADDRESS_STEPS = { awaiting: 'awaiting_address', confirming: 'confirm_address' } as const;
const PENDING_SLOT = 'new_address';
/** Above this, a new address needs our team's confirmation (fraud protection; see the article). */
const REVIEW_ABOVE_CENTS = 100_000;
const KEEP = /\b(never ?mind|keep (it|the (current|old) (one|address))|forget it|stop)\b/i;

export interface AddressChangeDeps extends ArticleCitationDeps {
  shopName: string;
}

/** Changing where one of the verified customer's orders goes, while it is still with us. */
export class AddressChange {
  constructor(private readonly deps: AddressChangeDeps) {}

  async offer(reply: Reply, order: OrderDetails, customer: VerifiedCustomer): Promise<void> {
    reply.set('order_number', order.number).set(PENDING_SLOT, null);
    if (!isChangeable(order.status)) {
      this.explainWhyNot(reply, order);
      return;
    }
    if (order.totalCents > REVIEW_ABOVE_CENTS) {
      reply
        .say(`For your security, a new address on an order over $1,000 has to be confirmed by our team. I'm passing you to a colleague who can do that now.`)
        .expect(null)
        .end('handed_off')
        .handoff('order_change_review', `new address on order ${order.number} (over $1,000) needs the team's confirmation`, 'order');
      return;
    }
    const current = await customer.shippingAddress(order.number);
    reply
      .choose(
        `Order ${order.number} is going to ${current ? formatAddress(current) : 'the address you gave at checkout'}. ` +
          `What's the new address? Please send it in one message: street, city, postal code, country (e.g. "12 Oak Street, Portland, 97205, US").`,
        [{ label: 'Keep the current address', value: 'confirm:no' }],
      )
      .expect(null)
      .step(ADDRESS_STEPS.awaiting);
  }

  async read(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = ctx.state.slots.order_number;
    if (orderNumber === undefined) return this.lost(reply);
    if (yesOrNo(ctx) === false || KEEP.test(ctx.message.text)) {
      reply.say(`OK, order ${orderNumber} keeps its current address.`).expect(null).end('resolved');
      return;
    }
    const current = await customer.shippingAddress(orderNumber);
    const parsed = parseShippingAddress(ctx.message.text, current !== null ? { defaultCountry: current.country } : {});
    if (!parsed.ok) {
      reply.say(
        `I couldn't find ${listParts(parsed.missing)} in that. Please send the whole address in one message: street, city, postal code, country.`,
      );
      return;
    }
    if (current !== null && current.country !== parsed.address.country) {
      reply
        .choose(
          `I can only change the address within the same country here: duties, taxes and what we can ship differ from country to country. A member of our team can help you with a move abroad.`,
          [TALK_TO_PERSON, { label: 'Keep the current address', value: 'confirm:no' }],
        );
      return;
    }
    reply
      .set(PENDING_SLOT, JSON.stringify(parsed.address))
      .choose(`Change the delivery address of order ${orderNumber} to: ${formatAddress(parsed.address)}?`, YES_NO('Yes, change it', 'No'))
      .step(ADDRESS_STEPS.confirming);
  }

  async confirm(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = ctx.state.slots.order_number;
    const pending = ShippingAddressSchema.safeParse(JSON.parse(ctx.state.slots[PENDING_SLOT] ?? 'null'));
    if (orderNumber === undefined || !pending.success) return this.lost(reply);
    // A corrected street ("sorry, 21 Oak Street, not 12") is neither yes nor no, whatever its "not" made the NLU think.
    const street = ctx.message.payload === undefined ? correctedStreet(ctx.message.text) : null;
    const answer = street === null ? yesOrNo(ctx) : null;
    if (answer === null) {
      // A corrected address instead of "yes" is the customer fixing it.
      if (parseShippingAddress(ctx.message.text).ok) return this.read(ctx, reply, customer);
      if (street !== null) {
        // "sorry, 21 Oak Street, not 12": only the street changes; the rest was already confirmed as read.
        const address = ShippingAddressSchema.safeParse({ ...pending.data, line1: street });
        if (address.success) {
          reply
            .set(PENDING_SLOT, JSON.stringify(address.data))
            .choose(`Change the delivery address of order ${orderNumber} to: ${formatAddress(address.data)}?`, YES_NO('Yes, change it', 'No'));
          return;
        }
      }
      reply.choose(`Shall I change the delivery address of order ${orderNumber}?`, YES_NO('Yes, change it', 'No'));
      return;
    }
    if (!answer) {
      reply
        .set(PENDING_SLOT, null)
        .choose(`OK, I haven't changed anything. Send me the corrected address, or keep the current one.`, [
          { label: 'Keep the current address', value: 'confirm:no' },
        ])
        .step(ADDRESS_STEPS.awaiting);
      return;
    }
    const address = pending.data;
    const result = await customer.changeAddress(orderNumber, address, ctx.now);
    reply.set(PENDING_SLOT, null);
    if (result.outcome === 'changed') {
      reply.say(`Done: order ${orderNumber} will be delivered to ${formatAddress(address)}. We've emailed you a confirmation.`).expect(null).end('resolved');
      await this.notify(reply, customer, orderNumber, address);
      return;
    }
    const order = result.outcome === 'not_found' ? null : await customer.order(orderNumber);
    if (order === null) {
      reply.say(`I couldn't find order ${orderNumber} on your account.`).expect(null).end('failed');
      return;
    }
    reply.say(`I'm sorry, order ${orderNumber} changed while we were talking, and I couldn't update the address.`);
    this.explainWhyNot(reply, order);
  }

  /** The email on file hears about every change: if the chat was not the customer, they find out at once. */
  private async notify(reply: Reply, customer: VerifiedCustomer, orderNumber: string, address: ShippingAddress): Promise<void> {
    const profile = await customer.profile();
    if (profile === null) return;
    reply.notify({
      transport: 'email',
      to: profile.email,
      subject: `New delivery address for ${this.deps.shopName} order ${orderNumber}`,
      body: `The delivery address of order ${orderNumber} was changed in chat to: ${formatAddress(address)}. If you didn't make this change, contact us right away.`,
    });
  }

  private explainWhyNot(reply: Reply, order: OrderDetails): void {
    const shipment = order.shipments.at(-1);
    if (order.status === 'shipped' || order.status === 'out_for_delivery') {
      reply.choose(
        `Order ${order.number} is already with ${shipment?.carrier ?? 'the carrier'} (${STATUS_LABEL[order.status]}), so we can't change the address in our system anymore. ` +
          `The carrier can often redirect it: ${redirectHint(shipment?.carrier)}${shipment ? ` Tracking: ${shipment.tracking_url}` : ''} ` +
          `Or let the delivery fail: the parcel comes back to us and we refund you in full.`,
        [TALK_TO_PERSON],
      );
      const cited = citeArticle(this.deps, 'change-shipping-address', `after the order has shipped redirect ${shipment?.carrier ?? ''}`);
      if (cited !== null) reply.send(cited);
    } else {
      reply.say(`Order ${order.number} is ${STATUS_LABEL[order.status].toLowerCase()}, so there's no delivery address left to change.`);
    }
    reply.expect(null).end('resolved');
  }

  private lost(reply: Reply): void {
    reply.say(`Sorry, I lost track of which order you meant. Please tell me the order number again.`).expect('order_number').step('choosing_order');
  }
}

function redirectHint(carrier: string | undefined): string {
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
      return 'look for a delivery-change option on the carrier\'s tracking page.';
  }
}
