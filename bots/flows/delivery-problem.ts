import type { OrderDetails } from '../../db/orders.js';
import { DELIVERY_COPY_EN as COPY } from '../copy/delivery.js';
import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { z } from 'zod';
import { flowState } from '../flow-state.js';
import { GATE_FIELDS, type IdentityGate } from '../identity-gate.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { openCaseOnce } from './open-case.js';
import { customerClock, describeOrder, formatDay } from './order-format.js';
import { askWhichOrder } from './order-picker.js';

export interface DeliveryProblemDeps extends ArticleCitationDeps {
  gate: IdentityGate;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

const PROBLEMS = ['late', 'not_received', 'damaged', 'wrong_item'] as const;
type Problem = (typeof PROBLEMS)[number];
const PROBLEM_SLOT = 'delivery_problem';
const DeliveryState = flowState({ ...GATE_FIELDS, [PROBLEM_SLOT]: z.enum(PROBLEMS) });
const DAY_MS = 24 * 60 * 60 * 1000;
/** Days past the estimate after which we stop asking for patience and start a carrier trace. */
const TRACE_AFTER_DAYS = 5;
/** Days after the delivery scan within which a missing parcel can be reported (help article). */
const REPORT_WITHIN_DAYS = 14;

/** Most specific first: "the box arrived damaged" is damage, not a delivery that arrived. */
const DETECT: ReadonlyArray<readonly [Problem, RegExp]> = [
  ['damaged', /damag|broken|crack|crush|smash|soak|dent|shatter|dead on arrival|doa\b/i],
  ['wrong_item', /wrong (item|product|colou?r|size|model|thing)|someone else'?s|not what i ordered|different (item|product)|missing from|only (half|part)|items? (are |is )?missing|incomplete/i],
  ['not_received', /delivered but|marked (as )?delivered|says delivered|never (got|received)|not (here|received)|nothing (here|came|arrived)|stole|theft|thief|wrong (house|address|door)|lost|can'?t find/i],
  ['late', /late|delay|stuck|supposed to|was due|due on|hasn'?t (arrived|come|updated|moved)|still (nothing|waiting|not)|never came|not arrived|where is/i],
];

/**
 * Late, lost, damaged or wrong deliveries: verify, look at the order's status and estimate, and
 * either give tracking and the ETA, open a carrier-trace case, or offer a return or exchange.
 */
export class DeliveryProblemFlow implements Flow {
  readonly name = 'delivery_problem';
  readonly state = DeliveryState;

  constructor(private readonly deps: DeliveryProblemDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start().set(PROBLEM_SLOT, null);
    const problem = this.problem(ctx, starting);
    const requested = this.deps.gate.requestedOrder(ctx);
    if (problem === null) {
      // "order 100235 hasn't shown up": the order is kept across "What happened?", never asked for twice.
      if (requested !== null) DeliveryState.set(reply, 'order_number', requested);
      reply
        .choose(COPY.askProblem, COPY.problemOptions)
        .step('choosing_problem');
      return reply.decision();
    }
    reply.set(PROBLEM_SLOT, problem);
    const named = requested ?? this.namedBefore(ctx, starting);
    // While a code is awaited the gate's own challenge holds the claim: a remembered order would start a new one.
    const claim = requested ?? (this.deps.gate.isAwaitingCode(ctx) ? null : named);
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: claim, purpose: COPY.gatePurpose });
    if (gate.status === 'pending') return reply.decision();
    const orderNumber = requested ?? gate.claimedOrder ?? named;
    const order = orderNumber === null ? null : await gate.customer.order(orderNumber);
    if (order === null) {
      if (orderNumber !== null) reply.say(COPY.orderNotFound(orderNumber));
      await askWhichOrder(gate.customer, reply, COPY.whichOrder, customerClock(ctx, this.deps.shopTimeZone).timeZone);
      return reply.decision();
    }
    reply.set('order_number', order.number);
    await this.answer(ctx, reply, gate.customer, problem, order);
    return reply.decision();
  }

  /**
   * The order the customer named before this message: kept in this flow's state at "What
   * happened?", or named earlier in the conversation. A claim only: the gate still verifies, and
   * the verified customer's own orders are the only ones looked up.
   */
  private namedBefore(ctx: FlowContext, starting: boolean): string | null {
    const kept = starting ? null : DeliveryState.get(ctx.state, 'order_number');
    return kept ?? ctx.state.mentioned.order_number ?? null;
  }

  private problem(ctx: FlowContext, starting: boolean): Problem | null {
    const pressed = payloadValue(ctx, 'problem');
    if (pressed !== null && (PROBLEMS as readonly string[]).includes(pressed)) return pressed as Problem;
    const remembered = starting ? null : DeliveryState.get(ctx.state, PROBLEM_SLOT);
    if (remembered !== null) return remembered;
    return DETECT.find(([, pattern]) => pattern.test(ctx.message.text))?.[0] ?? null;
  }

  private async answer(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, problem: Problem, order: OrderDetails): Promise<void> {
    const shipment = order.shipments.at(-1);
    const clock = customerClock(ctx, this.deps.shopTimeZone);
    if (order.status !== 'shipped' && order.status !== 'out_for_delivery' && order.status !== 'delivered') {
      // Not with a carrier (yet, or any more): the order's own status is the answer.
      reply.send(describeOrder(order, clock)).expect(null).end('resolved');
      return;
    }
    if (problem === 'damaged' || problem === 'wrong_item') {
      if (order.status !== 'delivered') {
        reply.send(describeOrder(order, clock)).say(COPY.notDeliveredYet(order.number));
        reply.expect(null).end('resolved');
        return;
      }
      reply.choose(COPY.oursToFix(problem, order.number), [COPY.returnOrExchange, COPY.talkToPerson]);
      this.cite(reply, 'damaged-or-wrong-item-received', 'report damaged wrong item within 7 days');
      reply.expect(null).end('resolved');
      return;
    }
    if (order.status === 'delivered') {
      const deliveredAt = shipment?.delivered_at ?? order.timeline.find((t) => t.status === 'delivered')?.at ?? null;
      if (deliveredAt !== null && ctx.now.getTime() - deliveredAt.getTime() > REPORT_WITHIN_DAYS * DAY_MS) {
        reply
          .say(COPY.tooLateToTrace(order.number, formatDay(deliveredAt, clock.timeZone), REPORT_WITHIN_DAYS))
          .expect(null)
          .end('handed_off')
          .handoff('missing_parcel', `order ${order.number} reported missing more than ${REPORT_WITHIN_DAYS} days after delivery`, 'delivery');
        return;
      }
      const on = deliveredAt ? COPY.onDay(formatDay(deliveredAt, clock.timeZone)) : '';
      await this.openTrace(ctx, reply, customer, order, 'marked_delivered_not_received',
        COPY.markedDelivered(shipment?.carrier ?? null, order.number, on), COPY.checkAround);
      this.cite(reply, 'lost-or-stolen-parcel', 'still missing trace replacement refund');
      return;
    }
    const eta = shipment?.estimated_delivery ?? null;
    const daysLate = eta === null ? 0 : Math.floor((ctx.now.getTime() - eta.getTime()) / DAY_MS);
    if (daysLate >= TRACE_AFTER_DAYS) {
      await this.openTrace(ctx, reply, customer, order, 'late_beyond_estimate',
        COPY.pastEstimate(order.number, daysLate, formatDay(eta as Date, clock.timeZone)), '');
      this.cite(reply, 'delayed-shipment', 'when we take action past estimated delivery investigation');
      return;
    }
    reply.send(describeOrder(order, clock));
    if (daysLate > 0 && eta !== null) {
      const traceFrom = new Date(eta.getTime() + TRACE_AFTER_DAYS * DAY_MS);
      reply.say(COPY.behindEstimate(formatDay(traceFrom, clock.timeZone)));
    } else {
      reply.say(COPY.withinEstimate);
    }
    this.cite(reply, 'delayed-shipment', 'tracking stuck in transit check where the hold-up is');
    reply.expect(null).end('resolved');
  }

  private async openTrace(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, order: OrderDetails, reason: string, what: string, meanwhile: string): Promise<void> {
    const shipment = order.shipments.at(-1);
    const { row, existing } = await openCaseOnce(customer, {
      conversationId: ctx.conversationId,
      kind: 'delivery',
      orderNumber: order.number,
      summary: `Carrier trace for order ${order.number} (${reason.replaceAll('_', ' ')})`,
      details: { reason, carrier: shipment?.carrier ?? null, trackingNumber: shipment?.tracking_number ?? null, status: order.status },
    });
    reply.say(COPY.traceNextSteps(what, existing ? COPY.alreadyTracing(row.id) : COPY.traceOpened(row.id, shipment?.carrier ?? null), meanwhile));
    reply.expect(null).end('resolved');
  }

  private cite(reply: Reply, articleId: string, query: string): void {
    const cited = citeArticle(this.deps, articleId, query);
    if (cited !== null) reply.send(cited);
  }
}
