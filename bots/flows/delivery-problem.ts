import type { OrderDetails } from '../../db/orders.js';
import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { citeArticle, type ArticleCitationDeps } from './cite-article.js';
import { openCaseOnce } from './open-case.js';
import { customerClock, describeOrder, formatDay } from './order-format.js';
import { askWhichOrder, TALK_TO_PERSON } from './order-picker.js';

export interface DeliveryProblemDeps extends ArticleCitationDeps {
  gate: IdentityGate;
  /** SHOP_TIME_ZONE: dates are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

const PROBLEMS = ['late', 'not_received', 'damaged', 'wrong_item'] as const;
type Problem = (typeof PROBLEMS)[number];
const PROBLEM_SLOT = 'delivery_problem';
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

  constructor(private readonly deps: DeliveryProblemDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start().set(PROBLEM_SLOT, null);
    const problem = this.problem(ctx, starting);
    if (problem === null) {
      reply
        .choose(`I'm sorry something went wrong with your delivery. What happened?`, [
          { label: "It's late", value: 'problem:late' },
          { label: "Says delivered, but I don't have it", value: 'problem:not_received' },
          { label: 'It arrived damaged', value: 'problem:damaged' },
          { label: 'Wrong or missing item', value: 'problem:wrong_item' },
        ])
        .step('choosing_problem');
      return reply.decision();
    }
    reply.set(PROBLEM_SLOT, problem);
    const requested = this.deps.gate.requestedOrder(ctx);
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose: 'look into your delivery' });
    if (gate.status === 'pending') return reply.decision();
    const orderNumber = requested ?? (gate.justVerified ? (ctx.state.slots.order_number ?? null) : null);
    const order = orderNumber === null ? null : await gate.customer.order(orderNumber);
    if (order === null) {
      if (orderNumber !== null) reply.say(`I couldn't find order ${orderNumber} on your account.`);
      await askWhichOrder(gate.customer, reply, 'Which order is it about?', customerClock(ctx, this.deps.shopTimeZone).timeZone);
      return reply.decision();
    }
    reply.set('order_number', order.number);
    await this.answer(ctx, reply, gate.customer, problem, order);
    return reply.decision();
  }

  private problem(ctx: FlowContext, starting: boolean): Problem | null {
    const pressed = payloadValue(ctx, 'problem');
    if (pressed !== null && (PROBLEMS as readonly string[]).includes(pressed)) return pressed as Problem;
    const remembered = starting ? undefined : ctx.state.slots[PROBLEM_SLOT];
    if (remembered !== undefined && (PROBLEMS as readonly string[]).includes(remembered)) return remembered as Problem;
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
        reply.send(describeOrder(order, clock)).say(`Tracking doesn't show order ${order.number} as delivered yet. If what arrives is damaged or wrong, come back and I'll sort it out.`);
        reply.expect(null).end('resolved');
        return;
      }
      reply.choose(
        `I'm sorry! ${problem === 'damaged' ? 'Damage in transit' : 'A wrong or missing item'} is ours to fix, and you never pay for shipping on it. ` +
          `Please keep the item and the packaging. I can start a free return or exchange for order ${order.number} now, or pass you to a colleague (e.g. for a TV or a very large item).`,
        [{ label: 'Return or exchange it', value: 'intent:return_request' }, TALK_TO_PERSON],
      );
      this.cite(reply, 'damaged-or-wrong-item-received', 'report damaged wrong item within 7 days');
      reply.expect(null).end('resolved');
      return;
    }
    if (order.status === 'delivered') {
      const deliveredAt = shipment?.delivered_at ?? order.timeline.find((t) => t.status === 'delivered')?.at ?? null;
      if (deliveredAt !== null && ctx.now.getTime() - deliveredAt.getTime() > REPORT_WITHIN_DAYS * DAY_MS) {
        reply
          .say(`Order ${order.number} was marked delivered on ${formatDay(deliveredAt, clock.timeZone)}, more than ${REPORT_WITHIN_DAYS} days ago, so I can't start a carrier trace myself. I'm passing you to a colleague who can look into it.`)
          .expect(null)
          .end('handed_off')
          .handoff('missing_parcel', `order ${order.number} reported missing more than ${REPORT_WITHIN_DAYS} days after delivery`, 'delivery');
        return;
      }
      const on = deliveredAt ? ` on ${formatDay(deliveredAt, clock.timeZone)}` : '';
      await this.openTrace(ctx, reply, customer, order, 'marked_delivered_not_received',
        `${shipment?.carrier ?? 'The carrier'} marked order ${order.number} as delivered${on}.`,
        `Meanwhile, please check around the address (porch, mailroom, neighbours) and the delivery photo on the carrier's tracking page: most "missing" parcels turn up within a day.`);
      this.cite(reply, 'lost-or-stolen-parcel', 'still missing trace replacement refund');
      return;
    }
    const eta = shipment?.estimated_delivery ?? null;
    const daysLate = eta === null ? 0 : Math.floor((ctx.now.getTime() - eta.getTime()) / DAY_MS);
    if (daysLate >= TRACE_AFTER_DAYS) {
      await this.openTrace(ctx, reply, customer, order, 'late_beyond_estimate',
        `Order ${order.number} is ${daysLate} days past its estimated delivery (${formatDay(eta as Date, clock.timeZone)}).`, '');
      this.cite(reply, 'delayed-shipment', 'when we take action past estimated delivery investigation');
      return;
    }
    reply.send(describeOrder(order, clock));
    if (daysLate > 0 && eta !== null) {
      const traceFrom = new Date(eta.getTime() + TRACE_AFTER_DAYS * DAY_MS);
      reply.say(`It's a little behind the estimate. Carriers don't scan at every stop, and most late parcels arrive within a few days. If it still hasn't arrived by ${formatDay(traceFrom, clock.timeZone)}, come back and I'll open a trace with the carrier.`);
    } else {
      reply.say(`It's on its way and still within the estimated delivery window, so nothing has gone wrong yet. The tracking link shows the latest scan.`);
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
    reply.say(
      `${what} ${existing ? `We're already on it: case ${row.id}.` : `I've opened case ${row.id} and we'll ask ${shipment?.carrier ?? 'the carrier'} to trace the parcel today.`} ` +
        `What happens next: a colleague may email you to confirm the address and any safe place the driver could have used. ` +
        `If the carrier can't find it within 5 business days, we send a replacement or a full refund, whichever you prefer; you don't need to wait for the carrier's final answer. ${meanwhile}`.trim(),
    );
    reply.expect(null).end('resolved');
  }

  private cite(reply: Reply, articleId: string, query: string): void {
    const cited = citeArticle(this.deps, articleId, query);
    if (cited !== null) reply.send(cited);
  }
}
