import { ReturnMethodSchema, ReturnResolutionSchema } from '../../core/return-status.js';
import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { ProductCatalogue } from '../../db/products.js';
import type { ReturnableLine } from '../../db/returns.js';
import type { IdentityGate } from '../identity-gate.js';
import {
  ALTERNATIVE_OPTIONS,
  CONDITION_OPTIONS,
  CONFIRM_OPTIONS,
  METHOD_OPTIONS,
  REASON_OPTIONS,
  RETURN_SLOTS as S,
  RETURN_STEPS as STEP,
  ReturnsState,
  type ReturnsSlots,
  conditionAnswer,
  confirmAnswer,
  methodAnswer,
  reasonAnswer,
  resolutionAnswer,
} from '../returns/answers.js';
import { RETURNS_COPY_EN as COPY } from '../copy/returns.js';
import { checkExchange, differenceNote, resolutionOptions, wantedInstead, wantedOffer, type ExchangeCheck } from '../returns/exchange.js';
import { formatMoney } from '../returns/money.js';
import { describeExistingReturn, describeNewReturn, type LabelLink } from '../returns/outcome.js';
import { otherLines, pickLine, pickOrder, policyInput, wantsEveryItem, type ReturnTurn } from '../returns/pick.js';
import { recordReturnDecision } from '../returns/decision-record.js';
import { offerAlternatives, warrantyOfferAnswer } from '../returns/refusal.js';
import { RETURN_REASONS } from '../returns/policy-file.js';
import { decisionBeforeAnswers, evaluateReturn, ITEM_CONDITIONS, settleReturn } from '../returns/policy.js';
import type { ReturnsServices } from '../returns/services.js';
import { SlotBuffer } from '../returns/slot-buffer.js';
import { soundsLikeQuestion } from '../understanding/clauses.js';

export interface ReturnsFlowDeps {
  gate: IdentityGate;
  returns: ReturnsServices;
  products: Pick<ProductCatalogue, 'offer'>;
  publicUrl(): string;
}

/** Everything the flow asks, forgotten when a return ends so the next one starts clean. */
const PER_RETURN = [S.sku, S.line, S.condition, S.reason, S.resolution, S.method, S.exchange, S.all] as const;
/** Longer messages are a new request ("no, get me a person"), not an answer to a choice. */
const SHORT_ANSWER_WORDS = 5;
/** An answer to another question of the form may come with a few words around it. */
const FORM_ANSWER_WORDS = 12;
const VOLUNTEERED = [conditionAnswer, reasonAnswer, resolutionAnswer, methodAnswer] as const;
const AFTER_DECISION: ReadonlySet<string | null> = new Set([STEP.resolution, STEP.method, STEP.confirm]);

/**
 * Returns and exchanges: verified customer → order → item → condition → reason → the policy's
 * decision, explained → refund or exchange → label or drop-off → confirm → one RMA per order line.
 * Every answer is a slot, so after a restart the flow continues where it was and never asks twice.
 */
export class ReturnsFlow implements Flow {
  readonly name = 'returns';
  readonly state = ReturnsState;

  constructor(private readonly deps: ReturnsFlowDeps) {
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const slots = new SlotBuffer(ctx, ReturnsState);
    if (starting) {
      reply.start();
      slots.clear(PER_RETURN);
    }
    // The product wanted instead ("swap the buds for the Over-Ear 700") is not the item to return.
    const wanted = wantedInstead(ctx);
    const product = ctx.nlu.entities.find((e) => e.type === 'product' && e.value !== wanted)?.value ?? null;
    if (product !== null && product !== slots.get(S.sku)) slots.clear(PER_RETURN).set(S.sku, product);
    if (starting && (ctx.nlu.intent === 'exchange_request' || payloadValue(ctx, 'intent') === 'exchange_request')) slots.set(S.resolution, 'exchange');
    if (wanted !== null) slots.set(S.exchange, wanted).set(S.resolution, 'exchange');
    // "return everything in order 100235": not one item to pick, all of them (pickLine checks there are several).
    if (starting && product === null && wantsEveryItem(ctx.message.text)) slots.set(S.all, 'yes');
    this.fillVolunteered(ctx, slots);
    const requested = this.deps.gate.requestedOrder(ctx);
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: requested, purpose: 'start a return' });
    if (gate.status === 'pending') {
      slots.flush(reply);
      return reply.decision();
    }
    // The order named earlier in the conversation is not asked for again; pickOrder checks it is the verified customer's.
    const named = requested ?? (starting ? (ctx.state.mentioned.order_number ?? null) : null);
    if (named !== null && named !== slots.get(S.order)) slots.set(S.order, named).clear([S.line, S.condition, S.reason]);
    const turn: ReturnTurn = { ctx, reply, slots, customer: gate.customer, outcome: null };
    await this.proceed(turn);
    if (turn.outcome !== null) slots.clear(PER_RETURN);
    slots.flush(reply);
    if (turn.outcome !== null) reply.expect(null).end(turn.outcome);
    return reply.decision();
  }

  /**
   * A short typed answer to the question on screen ("refund", "cancel", "it's broken") belongs to
   * this flow even when the NLU is sure it's another intent (refund status, order cancel, troubleshooting).
   */
  answers(ctx: FlowContext): boolean {
    if (ctx.state.activeFlow !== this.name || payloadValue(ctx, 'intent') !== null) return false;
    const words = ctx.message.text.trim().split(/\s+/).length;
    if (words > FORM_ANSWER_WORDS) return false;
    // "refund", "opened, works fine", "drop off": an answer to this return's form, asked yet or not.
    // A question that names one ("how long does the refund take?") is a question, answered in passing.
    if (!soundsLikeQuestion(ctx.message.text) && VOLUNTEERED.some((read) => read(ctx, { anywhere: true }) !== null)) return true;
    if (warrantyOfferAnswer(ctx) !== null || wantedInstead(ctx) !== null) return true;
    if (words > SHORT_ANSWER_WORDS) return false;
    switch (ctx.state.step) {
      case STEP.condition:
        return conditionAnswer(ctx) !== null;
      case STEP.reason:
        return reasonAnswer(ctx) !== null;
      case STEP.resolution:
        return resolutionAnswer(ctx) !== null;
      case STEP.method:
        return methodAnswer(ctx) !== null;
      case STEP.confirm:
        return confirmAnswer(ctx) !== null;
      default:
        return false;
    }
  }

  /** What the customer said before being asked (condition, reason, refund or exchange, how to send it) fills the form. */
  private fillVolunteered(ctx: FlowContext, slots: ReturnsSlots): void {
    const fill = (slot: typeof S.condition | typeof S.reason | typeof S.resolution | typeof S.method, value: string | null) => {
      if (value !== null && slots.get(slot) === null) slots.set(slot, value);
    };
    fill(S.condition, conditionAnswer(ctx, { anywhere: true }));
    fill(S.reason, reasonAnswer(ctx, { anywhere: true }));
    fill(S.resolution, resolutionAnswer(ctx, { anywhere: true }));
    fill(S.method, methodAnswer(ctx, { anywhere: true }));
  }

  private async proceed(turn: ReturnTurn): Promise<void> {
    const { ctx, reply, slots, customer } = turn;
    const { policy } = this.deps.returns;
    const order = await pickOrder(turn, policy);
    if (order === null) return;
    const lines = await customer.orderLines(order.number);
    // Every item: those already on their way back are left out rather than asked about again.
    const open = slots.get(S.all) === 'yes' ? await this.withoutReturns(turn, order.number, lines) : lines;
    const line = pickLine(turn, order, open.length > 0 ? open : lines);
    if (line === null) return;
    // An exchange for another model is for one item; "both" with a swap is one swap.
    const others = slots.get(S.exchange) === null ? otherLines(slots, open, line) : [];
    const existing = await customer.returnOf(order.number, line.line);
    if (existing !== null) {
      for (const m of describeExistingReturn(existing, line.name, existing.method === 'label' ? this.labelLink(existing.rma, ctx.now) : null)) reply.send(m);
      turn.outcome = 'resolved';
      return;
    }
    const condition = conditionAnswer(ctx) ?? slots.oneOf(S.condition, ITEM_CONDITIONS);
    if (condition === null) {
      const early = decisionBeforeAnswers(policyInput(order, line, { condition: 'unopened', reason: 'changed_mind', now: ctx.now }), policy);
      if (early !== null) {
        await offerAlternatives(turn, order, line, early);
        return;
      }
      const ask = others.length > 0 ? COPY.askConditionOfItems([line, ...others].map((l) => l.name)) : COPY.askCondition(line.name);
      reply.choose(ask, CONDITION_OPTIONS).expect(null).step(STEP.condition);
      return;
    }
    slots.set(S.condition, condition);
    const faulty = condition === 'defective' || condition === 'damaged';
    const reason = faulty ? 'faulty' : (reasonAnswer(ctx) ?? slots.oneOf(S.reason, RETURN_REASONS));
    if (reason === null) {
      reply.choose(COPY.askReason, REASON_OPTIONS).step(STEP.reason);
      return;
    }
    slots.set(S.reason, reason);
    const decision = evaluateReturn(policyInput(order, line, { condition, reason, now: ctx.now }), policy);
    recordReturnDecision(slots, order.number, line, decision);
    if (!decision.eligible) {
      await offerAlternatives(turn, order, line, decision);
      return;
    }
    const explain = () => (AFTER_DECISION.has(ctx.state.step) ? reply : reply.say(decision.explanation));
    const check = await this.exchangeFor(turn, line, order.currency);
    const exchange = check?.ok === true ? check : null;
    // An exchange refused for the product wanted is asked again, whatever this message said.
    const resolution = check?.ok === false ? null : (resolutionAnswer(ctx) ?? slots.oneOf(S.resolution, ReturnResolutionSchema.options));
    if (resolution === null) {
      explain().choose(COPY.askResolution, resolutionOptions(exchange?.offer ?? null)).step(STEP.resolution);
      return;
    }
    slots.set(S.resolution, resolution);
    const target = resolution === 'exchange' ? (exchange?.target ?? null) : null;
    const method = methodAnswer(ctx) ?? slots.oneOf(S.method, ReturnMethodSchema.options);
    if (method === null) {
      explain().choose(COPY.askMethod, METHOD_OPTIONS).step(STEP.method);
      return;
    }
    slots.set(S.method, method);
    const settlement = settleReturn(decision, resolution, line, policy, target);
    // The other items go back on the same answers, each judged by the policy on its own.
    const together: Array<{ line: ReturnableLine; settlement: typeof settlement }> = [];
    const refused: string[] = [];
    for (const other of others) {
      const verdict = evaluateReturn(policyInput(order, other, { condition, reason, now: ctx.now }), policy);
      if (verdict.eligible) together.push({ line: other, settlement: settleReturn(verdict, resolution, other, policy, null) });
      else refused.push(COPY.leftOut(other.name, verdict.explanation));
    }
    const all = [{ line, settlement }, ...together];
    const sum = (of: (s: typeof settlement) => number) => all.reduce((total, item) => total + of(item.settlement), 0);
    const confirmed = confirmAnswer(ctx);
    if (confirmed === null) {
      const fees = sum((s) => s.restockingFeeCents);
      const money =
        resolution === 'refund'
          ? COPY.confirmRefund(formatMoney(sum((s) => s.refundCents), order.currency), fees > 0 ? formatMoney(fees, order.currency) : null)
          : exchange !== null && target !== null
            ? COPY.confirmExchangeFor(exchange.offer.name, differenceNote(target, order.currency))
            : COPY.confirmExchangeSame;
      for (const why of refused) reply.say(why);
      const names = COPY.theseItems(all.map((item) => item.line.name));
      explain().choose(COPY.confirmReturn(names, order.number, money, COPY.confirmHow(method)), CONFIRM_OPTIONS).step(STEP.confirm);
      return;
    }
    if (confirmed === 'no') {
      reply.choose(COPY.cancelled, [COPY.returnAnotherItem, ALTERNATIVE_OPTIONS.talk_to_person]);
      turn.outcome = 'abandoned';
      return;
    }
    // One RMA per order line, as a single-item return would make: each travels and is refunded on its own.
    for (const item of all) {
      const { record, created } = await customer.createReturn({
        orderNumber: order.number,
        conversationId: ctx.conversationId,
        line: { line: item.line.line, sku: item.line.sku, quantity: item.line.quantity },
        status: method === 'label' ? 'label_issued' : 'requested',
        resolution,
        method,
        reason,
        ...item.settlement,
        exchange: item.line === line ? target : null,
      });
      const label = record.method === 'label' ? this.labelLink(record.rma, ctx.now) : null;
      const sentInstead = item.line === line && target !== null && exchange !== null ? exchange.offer.name : null;
      for (const m of created ? describeNewReturn(record, item.line, order.currency, label, sentInstead) : describeExistingReturn(record, item.line.name, label)) reply.send(m);
    }
    turn.outcome = 'resolved';
  }

  private async withoutReturns(turn: ReturnTurn, orderNumber: string, lines: readonly ReturnableLine[]): Promise<ReturnableLine[]> {
    const open: ReturnableLine[] = [];
    for (const l of lines) if ((await turn.customer.returnOf(orderNumber, l.line)) === null) open.push(l);
    return open;
  }

  /** The product wanted instead, checked against the item; a refusal is told here (`ok: false`). */
  private async exchangeFor(turn: ReturnTurn, line: ReturnableLine, currency: string): Promise<ExchangeCheck | null> {
    const { slots, reply } = turn;
    const wanted = slots.get(S.exchange);
    if (wanted === null) return null;
    const check = checkExchange(line, await wantedOffer(wanted, (sku) => this.deps.products.offer(sku)), currency);
    if (check === null) {
      slots.set(S.exchange, null);
      return null;
    }
    if (check.ok) return check;
    reply.say(check.why);
    // The exchange was chosen for that product: ask again rather than swap like for like.
    slots.set(S.exchange, null).set(S.resolution, null);
    return check;
  }

  private labelLink(rma: string, now: Date): LabelLink {
    const { labelLinks, policy } = this.deps.returns;
    return { url: labelLinks.url(this.deps.publicUrl(), rma, now), validDays: policy.labelValidDays };
  }
}
