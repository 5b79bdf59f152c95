import { optionNamingDevice } from '../choice-resolver.js';
import { asksAboutOtherOrder } from '../understanding/other-order.js';
import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { z } from 'zod';
import { flowState, Text } from '../flow-state.js';
import { GATE_FIELDS, type IdentityGate, type OrderReader } from '../identity-gate.js';
import { customerClock, describeOrder, formatDay, STATUS_LABEL, type CustomerClock } from './order-format.js';

const MORE_ORDERS_SLOT = 'more_orders';
/** Releases before typed frames kept the list space-separated in one string: still read. */
const OrderNumbers = z.preprocess((v) => (typeof v === 'string' ? v.split(' ').filter((n) => n !== '') : v), z.array(Text));
const OrderStatusState = flowState({ ...GATE_FIELDS, [MORE_ORDERS_SLOT]: OrderNumbers });

export interface OrderStatusDeps {
  gate: IdentityGate;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

/**
 * "Where is my order?": the identity gate proves who is asking, then the flow answers for one
 * of that customer's orders. An order that isn't theirs gets the same reply as one that doesn't exist.
 */
export class OrderStatusFlow implements Flow {
  readonly name = 'order_status';
  readonly state = OrderStatusState;

  constructor(private readonly deps: OrderStatusDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const requested = this.deps.gate.requestedOrder(ctx);
    if (starting) {
      reply.start();
      // "check 100234 and 100236": each order asked about is answered, not only the first.
      const more = [...new Set(ctx.nlu.entities.filter((e) => e.type === 'order_number').map((e) => e.value))].filter((n) => n !== requested);
      OrderStatusState.set(reply, MORE_ORDERS_SLOT, more.length > 0 ? more : null);
    }
    // Reading only: a customer matched by the number they write from needs no code here.
    const gate = await this.deps.gate.checkRead(ctx, reply, { orderNumber: requested, purpose: 'check your order' });
    if (gate.status === 'pending') return reply.decision();
    const orderNumber = requested ?? gate.claimedOrder;
    const clock = customerClock(ctx, this.deps.shopTimeZone);
    const more = this.moreOrders(ctx, reply);
    const named = orderNumber === null && starting ? await this.namedWithoutNumber(ctx, gate.customer) : null;
    await this.answer(reply, gate.customer, named ?? orderNumber, clock, more);
    return reply.decision();
  }

  /**
   * "and the other one I ordered, the thermostat?": no number, but the customer's orders other
   * than the one just discussed leave one, or one of them holds the kind of device named.
   */
  private async namedWithoutNumber(ctx: FlowContext, customer: OrderReader): Promise<string | null> {
    const previous = asksAboutOtherOrder(ctx.message.text) ? (ctx.state.mentioned.order_number ?? null) : null;
    const others = (await customer.orders()).filter((o) => o.number !== previous);
    if (previous !== null && others.length === 1) return others[0]!.number;
    const picked = optionNamingDevice(
      others.map((o) => ({ label: `${o.number} · ${o.firstItem ?? 'order'}`, value: o.number })),
      ctx.message.text,
    );
    return picked?.value ?? null;
  }

  /** The other orders the first message named ("check 100234 and 100236"): answered with the first, once. */
  private moreOrders(ctx: FlowContext, reply: Reply): string[] {
    const at = reply.events.findIndex((e) => e.type === 'slot_set' && e.name === MORE_ORDERS_SLOT);
    const pending = reply.events[at];
    if (pending?.type === 'slot_set') {
      // Set and used in the same turn: the slot never needs to be kept.
      reply.events.splice(at, 1);
      return OrderNumbers.safeParse(pending.value).data ?? [];
    }
    const value = OrderStatusState.get(ctx.state, MORE_ORDERS_SLOT);
    reply.set(MORE_ORDERS_SLOT, null);
    return value ?? [];
  }

  private async answer(reply: Reply, customer: OrderReader, orderNumber: string | null, clock: CustomerClock, more: readonly string[] = []): Promise<void> {
    if (orderNumber !== null) {
      const order = await customer.order(orderNumber);
      if (order !== null) {
        reply.set('order_number', order.number).send(describeOrder(order, clock));
        for (const number of more) {
          const other = await customer.order(number);
          // Someone else's order gets the same reply as a missing one.
          if (other === null) reply.say(COPY.orderNotFound(number));
          else reply.send(describeOrder(other, clock));
        }
        reply
          .choose(COPY.anythingElse, [COPY.anotherOrder, COPY.thatsAll])
          .expect(null)
          .end('resolved');
        return;
      }
      reply.say(COPY.orderNotFound(orderNumber));
    }
    const recent = await customer.orders();
    if (recent.length === 0) {
      reply.say(COPY.noOrders).expect(null).end('resolved');
      return;
    }
    if (recent.length === 1 && orderNumber === null) {
      const only = await customer.order(recent[0]!.number);
      if (only) {
        reply.send(describeOrder(only, clock)).expect(null).end('resolved');
        return;
      }
    }
    reply
      .choose(
        COPY.whichOrderToCheck,
        recent.map((o) => ({
          label: COPY.orderOption(o.number, o.firstItem, STATUS_LABEL[o.status], formatDay(o.placedAt, clock.timeZone)),
          value: `order:${o.number}`,
        })),
      )
      .set('order_number', null)
      .expect('order_number')
      .step('choosing_order');
  }
}
