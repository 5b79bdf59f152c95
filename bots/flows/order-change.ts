import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { ConversationState } from '../state.js';
import type { IdentityGate } from '../identity-gate.js';
import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import type { ArticleCitationDeps } from './cite-article.js';
import { ADDRESS_STEPS, AddressChange } from './order-address-change.js';
import { CONFIRM_CANCEL_STEP, OrderCancellation } from './order-cancel.js';
import { askWhichOrder, chosenIntent } from './order-picker.js';
import { OrderChangeState, type ChangeKind } from './order-change-state.js';

export interface OrderChangeDeps extends ArticleCitationDeps {
  gate: IdentityGate;
  shopName: string;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

const KIND_BY_INTENT: Readonly<Record<string, ChangeKind>> = { order_cancel: 'cancel', order_change_address: 'address' };
/** Steps whose answer is a yes/no or an address: digits in them are never an order number. */
const ANSWER_STEPS = new Set<string>([CONFIRM_CANCEL_STEP, ADDRESS_STEPS.awaiting, ADDRESS_STEPS.confirming]);

/**
 * Cancel an order or change its delivery address while it is still in our warehouse; after it
 * ships, explain and offer a return, a carrier redirect or a person. Only the verified
 * customer's own orders: anyone else's gets the same reply as an order that doesn't exist.
 */
export class OrderChangeFlow implements Flow {
  readonly name = 'order_change';
  readonly state = OrderChangeState;
  private readonly cancellation: OrderCancellation;
  private readonly addressChange: AddressChange;

  constructor(private readonly deps: OrderChangeDeps) {
    this.cancellation = new OrderCancellation(deps);
    this.addressChange = new AddressChange(deps);
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const step = starting ? null : ctx.state.step;
    const kind = this.kind(ctx, starting);
    if (starting) reply.start().set('new_address', null);
    OrderChangeState.set(reply, 'order_change', kind);
    const answering = step !== null && ANSWER_STEPS.has(step);
    const requested = answering ? null : this.deps.gate.requestedOrder(ctx);
    const purpose = kind === 'cancel' ? 'cancel your order' : 'change the delivery address';
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose });
    if (gate.status === 'pending') return reply.decision();
    const { customer } = gate;

    if (step === CONFIRM_CANCEL_STEP) await this.cancellation.confirm(ctx, reply, customer);
    else if (step === ADDRESS_STEPS.awaiting) await this.addressChange.read(ctx, reply, customer);
    else if (step === ADDRESS_STEPS.confirming) await this.addressChange.confirm(ctx, reply, customer);
    else await this.forOrder(reply, customer, kind, requested ?? gate.claimedOrder, ctx.message.timeZone ?? this.deps.shopTimeZone);
    return reply.decision();
  }

  restartIntent(state: ConversationState): string | null {
    const kind = OrderChangeState.get(state, 'order_change');
    return kind === null ? null : kind === 'cancel' ? 'order_cancel' : 'order_change_address';
  }

  private kind(ctx: FlowContext, starting: boolean): ChangeKind {
    const fromIntent = KIND_BY_INTENT[chosenIntent(ctx) ?? ''];
    const remembered = OrderChangeState.get(ctx.state, 'order_change');
    if (!starting && remembered !== null) return remembered;
    return fromIntent ?? 'cancel';
  }

  private async forOrder(reply: Reply, customer: VerifiedCustomer, kind: ChangeKind, orderNumber: string | null, timeZone: string): Promise<void> {
    const question = kind === 'cancel' ? COPY.whichOrderToCancel : COPY.whichOrderNewAddress;
    if (orderNumber === null) {
      await askWhichOrder(customer, reply, question, timeZone);
      return;
    }
    const order = await customer.order(orderNumber);
    if (order === null) {
      reply.say(COPY.orderNotFound(orderNumber));
      await askWhichOrder(customer, reply, question, timeZone);
      return;
    }
    if (kind === 'cancel') this.cancellation.offer(reply, order, timeZone);
    else await this.addressChange.offer(reply, order, customer);
  }
}
