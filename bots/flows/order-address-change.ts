import { ShippingAddressSchema, type ShippingAddress } from '../../core/shipping-address.js';
import { isChangeable } from '../../db/order-changes.js';
import type { OrderDetails } from '../../db/orders.js';
import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
import type { FlowContext, Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { STATUS_LABEL } from './order-format.js';
import { TALK_TO_PERSON, YES_NO, yesOrNo } from './order-picker.js';
import { OrderChangeState } from './order-change-state.js';
import { correctedStreet, formatAddress, listParts, parseShippingAddress } from './shipping-address.js';

export const ADDRESS_STEPS = { awaiting: 'awaiting_address', confirming: 'confirm_address' } as const;
const PENDING_SLOT = 'new_address' satisfies keyof typeof OrderChangeState.shape;
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
        .say(COPY.reviewAboveLimit)
        .expect(null)
        .end('handed_off')
        .handoff('order_change_review', `new address on order ${order.number} (over $1,000) needs the team's confirmation`, 'order');
      return;
    }
    const current = await customer.shippingAddress(order.number);
    reply
      .choose(
        COPY.askNewAddress(order.number, current ? formatAddress(current) : null),
        [COPY.keepAddress],
      )
      .expect(null)
      .step(ADDRESS_STEPS.awaiting);
  }

  async read(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const orderNumber = OrderChangeState.get(ctx.state, 'order_number');
    if (orderNumber === null) return this.lost(reply);
    if (yesOrNo(ctx) === false || KEEP.test(ctx.message.text)) {
      reply.say(COPY.keptAddress(orderNumber)).expect(null).end('resolved');
      return;
    }
    const current = await customer.shippingAddress(orderNumber);
    const parsed = parseShippingAddress(ctx.message.text, current !== null ? { defaultCountry: current.country } : {});
    if (!parsed.ok) {
      reply.say(COPY.addressMissing(listParts(parsed.missing)));
      return;
    }
    if (current !== null && current.country !== parsed.address.country) {
      reply.choose(COPY.sameCountryOnly, [TALK_TO_PERSON, COPY.keepAddress]);
      return;
    }
    OrderChangeState.set(reply, PENDING_SLOT, parsed.address)
      .choose(COPY.confirmAddress(orderNumber, formatAddress(parsed.address)), YES_NO(COPY.changeYes, COPY.changeNo))
      .step(ADDRESS_STEPS.confirming);
  }

  async confirm(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const { order_number: orderNumber, new_address: pending } = OrderChangeState.read(ctx.state);
    if (orderNumber === undefined || pending === undefined) return this.lost(reply);
    // A corrected street ("sorry, 21 Oak Street, not 12") is neither yes nor no, whatever its "not" made the NLU think.
    const street = ctx.message.payload === undefined ? correctedStreet(ctx.message.text) : null;
    const answer = street === null ? yesOrNo(ctx) : null;
    if (answer === null) {
      // A corrected address instead of "yes" is the customer fixing it.
      if (parseShippingAddress(ctx.message.text).ok) return this.read(ctx, reply, customer);
      if (street !== null) {
        // "sorry, 21 Oak Street, not 12": only the street changes; the rest was already confirmed as read.
        const address = ShippingAddressSchema.safeParse({ ...pending, line1: street });
        if (address.success) {
          OrderChangeState.set(reply, PENDING_SLOT, address.data)
            .choose(COPY.confirmAddress(orderNumber, formatAddress(address.data)), YES_NO(COPY.changeYes, COPY.changeNo));
          return;
        }
      }
      reply.choose(COPY.confirmAddressAgain(orderNumber), YES_NO(COPY.changeYes, COPY.changeNo));
      return;
    }
    if (!answer) {
      reply
        .set(PENDING_SLOT, null)
        .choose(COPY.nothingChanged, [COPY.keepAddress])
        .step(ADDRESS_STEPS.awaiting);
      return;
    }
    const address = pending;
    const result = await customer.changeAddress(orderNumber, address, ctx.now);
    reply.set(PENDING_SLOT, null);
    if (result.outcome === 'changed') {
      reply.say(COPY.addressDone(orderNumber, formatAddress(address))).expect(null).end('resolved');
      await this.notify(reply, customer, orderNumber, address);
      return;
    }
    const order = result.outcome === 'not_found' ? null : await customer.order(orderNumber);
    if (order === null) {
      reply.say(COPY.orderNotFound(orderNumber)).expect(null).end('failed');
      return;
    }
    reply.say(COPY.addressChangedMeanwhile(orderNumber));
    this.explainWhyNot(reply, order);
  }

  /** The email on file hears about every change: if the chat was not the customer, they find out at once. */
  private async notify(reply: Reply, customer: VerifiedCustomer, orderNumber: string, address: ShippingAddress): Promise<void> {
    const profile = await customer.profile();
    if (profile === null) return;
    reply.notify({
      transport: 'email',
      to: profile.email,
      subject: COPY.addressEmailSubject(this.deps.shopName, orderNumber),
      body: COPY.addressEmailBody(orderNumber, formatAddress(address)),
    });
  }

  private explainWhyNot(reply: Reply, order: OrderDetails): void {
    const shipment = order.shipments.at(-1);
    if (order.status === 'shipped' || order.status === 'out_for_delivery') {
      reply.choose(
        COPY.withCarrierCannotChange(order.number, shipment?.carrier ?? null, STATUS_LABEL[order.status], COPY.redirectHint(shipment?.carrier), shipment ? shipment.tracking_url : null),
        [TALK_TO_PERSON],
      );
      const cited = citeArticle(this.deps, 'change-shipping-address', `after the order has shipped redirect ${shipment?.carrier ?? ''}`);
      if (cited !== null) reply.send(cited);
    } else {
      reply.say(COPY.noAddressToChange(order.number, STATUS_LABEL[order.status]));
    }
    reply.expect(null).end('resolved');
  }

  private lost(reply: Reply): void {
    reply.say(COPY.lostTrack).expect('order_number').step('choosing_order');
  }
}
