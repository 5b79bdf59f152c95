import type { ChoiceOption } from '../../core/message.js';
import type { OrderDetails } from '../../db/orders.js';
import type { ReturnableLine } from '../../db/returns.js';
import { RETURNS_COPY_EN as COPY } from '../copy/returns.js';
import { firstEntity, payloadValue, type FlowContext, type Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { ALTERNATIVE_OPTIONS, RETURN_SLOTS, RETURN_STEPS } from './answers.js';
import { formatMoney } from './money.js';
import type { ReturnPolicy } from './policy-file.js';
import { evaluateReturn, type ReturnInput } from './policy.js';
import type { ReturnsSlots } from './answers.js';

/** One turn of the returns flow: what it reads and where it writes. */
export interface ReturnTurn {
  ctx: FlowContext;
  reply: Reply;
  slots: ReturnsSlots;
  customer: VerifiedCustomer;
  /** Set when the turn ended the flow. */
  outcome: 'resolved' | 'abandoned' | null;
}

export function deliveredAt(order: OrderDetails): Date | null {
  return order.shipments.at(-1)?.delivered_at ?? order.timeline.find((t) => t.status === 'delivered')?.at ?? null;
}

export function policyInput(order: OrderDetails, line: ReturnableLine, rest: Pick<ReturnInput, 'condition' | 'reason' | 'now'>): ReturnInput {
  return {
    productName: line.name,
    category: line.category,
    finalSale: line.finalSale,
    returnWindowDays: line.returnWindowDays,
    warrantyMonths: line.warrantyMonths,
    deliveredAt: deliveredAt(order),
    orderStatus: order.status,
    unitPriceCents: line.unitPriceCents,
    quantity: line.quantity,
    ...rest,
  };
}

/**
 * The order to return from: the one named in this conversation if it's the customer's and has
 * arrived, the only delivered order that holds the product they named, or their choice from a list.
 */
export async function pickOrder(turn: ReturnTurn, policy: ReturnPolicy): Promise<OrderDetails | null> {
  const { ctx, reply, slots, customer } = turn;
  const extra: ChoiceOption[] = [];
  const named = slots.get(RETURN_SLOTS.order);
  if (named !== null) {
    const order = await customer.order(named);
    if (order !== null && order.status === 'delivered') return order;
    slots.set(RETURN_SLOTS.order, null);
    if (order === null) reply.say(COPY.orderNotFound(named));
    else {
      const first = (await customer.orderLines(order.number))[0];
      const decision = first ? evaluateReturn(policyInput(order, first, { condition: 'unopened', reason: 'changed_mind', now: ctx.now }), policy) : null;
      if (decision !== null && !decision.eligible) {
        reply.say(COPY.aboutOrder(order.number, decision.explanation));
        extra.push(...decision.alternatives.filter((a) => a !== 'talk_to_person').map((a) => ALTERNATIVE_OPTIONS[a]));
      }
    }
  }
  const delivered = (await customer.orders(10)).filter((o) => o.status === 'delivered');
  const sku = turn.slots.get(RETURN_SLOTS.sku);
  if (sku !== null) {
    const holding = [];
    for (const o of delivered) if ((await customer.orderLines(o.number)).some((l) => l.sku === sku)) holding.push(o);
    if (holding.length === 1) return selectOrder(turn, holding[0]!.number);
  }
  if (delivered.length === 1 && extra.length === 0) return selectOrder(turn, delivered[0]!.number);
  if (delivered.length === 0) {
    reply.choose(COPY.noDeliveredOrders, [...extra, ALTERNATIVE_OPTIONS.talk_to_person]).expect(null);
    turn.outcome = 'resolved';
    return null;
  }
  const options = delivered.map((o) => ({ label: COPY.orderOption(o.number, o.firstItem), value: `order:${o.number}` }));
  reply.choose(COPY.whichOrder, [...options, ...extra]).expect('order_number').step(RETURN_STEPS.order);
  return null;
}

async function selectOrder(turn: ReturnTurn, number: string): Promise<OrderDetails | null> {
  turn.slots.set(RETURN_SLOTS.order, number);
  return turn.customer.order(number);
}

/** The order line to return: pressed, named (product or list number), the only line, or asked. */
export function pickLine(turn: ReturnTurn, order: OrderDetails, lines: readonly ReturnableLine[]): ReturnableLine | null {
  const { ctx, reply, slots } = turn;
  const byLine = (n: number | null) => (n === null ? undefined : lines.find((l) => l.line === n));
  const pressed = payloadValue(ctx, 'return-item');
  // The flow put the product named as the item in the slot (not one wanted instead, for an exchange).
  const sku = slots.get(RETURN_SLOTS.sku);
  const stored = slots.get(RETURN_SLOTS.line);
  const atItem = ctx.state.step === RETURN_STEPS.item;
  if (lines.length > 1 && (pressed === 'all' || (atItem && wantsEveryItem(ctx.message.text)))) slots.set(RETURN_SLOTS.all, 'yes');
  // Every item: the first still to decide stands for the form; the flow adds the others (`otherLines`).
  const every = slots.get(RETURN_SLOTS.all) === 'yes' && lines.length > 1 ? lines[0] : undefined;
  const typed = atItem ? typedChoice(ctx.message.text, lines) : undefined;
  const bySku = lines.filter((l) => l.sku === sku);
  const found =
    byLine(pressed !== null && pressed !== 'all' ? Number(pressed) : null) ??
    byLine(stored !== null ? Number(stored) : null) ??
    every ??
    typed ??
    (bySku.length === 1 ? bySku[0] : undefined) ??
    namedLine(ctx, lines) ??
    (lines.length === 1 ? lines[0] : undefined);
  if (found !== undefined) {
    slots.set(RETURN_SLOTS.line, String(found.line));
    return found;
  }
  reply
    .choose(
      COPY.whichItem(order.number),
      [
        ...lines.map((l) => ({ label: COPY.itemOption(l.quantity, l.name, formatMoney(l.unitPriceCents, order.currency)), value: `return-item:${l.line}` })),
        COPY.allItemsOption(lines.length),
      ],
    )
    .expect(null)
    .step(RETURN_STEPS.item);
  return null;
}

/** "both", "all of them", "everything in 100235", "the whole order": every item, not one. */
const EVERY_ITEM = /\b(?:both(?: of them| items)?|all (?:of them|the items|items|\d+(?: items)?)|everything|the (?:whole|entire) order|all of it)\b/i;

export function wantsEveryItem(text: string): boolean {
  return EVERY_ITEM.test(text);
}

/** The order's other items going back with `first` in a return of every item; none unless asked for. */
export function otherLines(slots: ReturnsSlots, lines: readonly ReturnableLine[], first: ReturnableLine): ReturnableLine[] {
  return slots.get(RETURN_SLOTS.all) === 'yes' ? lines.filter((l) => l.line !== first.line) : [];
}

/** Words in a product name that don't tell two of the shop's products apart. */
const COMMON_NAME_WORDS = new Set(['voltline', 'the', 'and', 'with', 'for', 'pro', 'plus', 'max', 'mini', 'one', 'usb', 'c', 'w']);

/**
 * The line the customer named loosely: the kind of device ("the earbuds" → the headphones
 * line, said now or earlier in the conversation) or a distinctive word of its name ("the
 * charger"), when exactly one line fits.
 */
function namedLine(ctx: FlowContext, lines: readonly ReturnableLine[]): ReturnableLine | undefined {
  const device = firstEntity(ctx, 'device') ?? ctx.state.mentioned.device ?? null;
  const ofKind = device === null ? [] : lines.filter((l) => l.category === device);
  if (ofKind.length === 1) return ofKind[0];
  const said = new Set(ctx.message.text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const named = lines.filter((l) => l.name.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.length > 2 && !COMMON_NAME_WORDS.has(w) && said.has(w)));
  return named.length === 1 ? named[0] : undefined;
}

function typedChoice(text: string, lines: readonly ReturnableLine[]): ReturnableLine | undefined {
  const index = /^\s*(\d{1,2})\s*$/.exec(text)?.[1];
  if (index !== undefined) return lines[Number(index) - 1];
  const lower = text.toLowerCase();
  return lines.find((l) => lower.includes(l.name.toLowerCase()));
}
