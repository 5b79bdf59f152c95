import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { IdentityGate, OrderReader } from '../identity-gate.js';
import { customerClock, describeOrder, formatDay, STATUS_LABEL, type CustomerClock } from './order-format.js';

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

  constructor(private readonly deps: OrderStatusDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start();
    const requested = this.deps.gate.requestedOrder(ctx);
    // Reading only: a customer matched by the number they write from needs no code here.
    const gate = await this.deps.gate.checkRead(ctx, reply, { orderNumber: requested, purpose: 'check your order' });
    if (gate.status === 'pending') return reply.decision();
    const orderNumber = requested ?? (gate.justVerified ? (ctx.state.slots.order_number ?? null) : null);
    await this.answer(reply, gate.customer, orderNumber, customerClock(ctx, this.deps.shopTimeZone));
    return reply.decision();
  }

  private async answer(reply: Reply, customer: OrderReader, orderNumber: string | null, clock: CustomerClock): Promise<void> {
    if (orderNumber !== null) {
      const order = await customer.order(orderNumber);
      if (order !== null) {
        reply
          .set('order_number', order.number)
          .send(describeOrder(order, clock))
          .choose('Anything else I can help with?', [
            { label: 'Another order', value: 'intent:order_status' },
            { label: "That's all, thanks", value: 'intent:thanks' },
          ])
          .expect(null)
          .end('resolved');
        return;
      }
      reply.say(`I couldn't find order ${orderNumber} on your account.`);
    }
    const recent = await customer.orders();
    if (recent.length === 0) {
      reply.say(`I don't see any orders on your account yet.`).expect(null).end('resolved');
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
        'Which order would you like to check?',
        recent.map((o) => ({
          label: `${o.number} · ${o.firstItem ?? 'order'} · ${STATUS_LABEL[o.status]} · ${formatDay(o.placedAt, clock.timeZone)}`,
          value: `order:${o.number}`,
        })),
      )
      .set('order_number', null)
      .expect('order_number')
      .step('choosing_order');
  }
}
