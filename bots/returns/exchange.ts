import type { ChoiceOption } from '../../core/message.js';
import type { Entity } from '../../core/nlu.js';
import type { ProductOffer } from '../../db/products.js';
import type { ExchangeTarget, ReturnableLine } from '../../db/returns.js';
import { RETURNS_COPY_EN as COPY } from '../copy/returns.js';
import type { FlowContext } from '../flow.js';
import { RESOLUTION_OPTIONS, RETURN_STEPS } from './answers.js';
import { formatMoney } from './money.js';

/** The words around a product that make it the one wanted instead ("swap them for the Over-Ear 700", "the Thermo instead"). */
const WANTED_AFTER_VERB = /\b(swap|exchange|trade|switch|change|replace)\b.*\b(for|to|with|into)\s+(an?\s+|the\s+|my\s+)?$/i;
const WANTED_AT_QUESTION = /\b(for|to|into)\s+(an?\s+|the\s+)?$/i;
const WANTED_INSTEAD = /^\s*instead\b/i;

/** The slot value for a kind of device wanted instead ("for a thermostat"), not one product. */
const KIND_PREFIX = 'kind:';

/**
 * The product the customer wants instead of the one they return, when they name one: "can I
 * swap the buds for the over-ear 700", or "exchange for the thermo" at the refund-or-exchange
 * question: its SKU, or `kind:<category>` for a kind of device ("for a thermostat"). The other
 * products named are the item to return, never this one.
 */
export function wantedInstead(ctx: FlowContext): string | null {
  const text = ctx.message.text;
  const atQuestion = ctx.state.step === RETURN_STEPS.resolution || ctx.state.step === RETURN_STEPS.confirm;
  const cued = (entity: Entity) => {
    const before = text.slice(0, entity.start);
    return WANTED_AFTER_VERB.test(before) || WANTED_INSTEAD.test(text.slice(entity.end)) || (atQuestion && WANTED_AT_QUESTION.test(before));
  };
  const product = ctx.nlu.entities.find((e) => e.type === 'product' && cued(e));
  if (product !== undefined) return product.value;
  const kind = ctx.nlu.entities.find((e) => e.type === 'device' && cued(e));
  return kind === undefined ? null : `${KIND_PREFIX}${kind.value}`;
}

/** The product wanted instead, looked up; a kind of device is checked by its category alone. */
export async function wantedOffer(wanted: string, lookup: (sku: string) => Promise<ProductOffer | null>): Promise<ProductOffer | { category: string } | null> {
  return wanted.startsWith(KIND_PREFIX) ? { category: wanted.slice(KIND_PREFIX.length) } : lookup(wanted);
}

/** What an exchange for another product settles, or why it cannot be one. */
export type ExchangeCheck = { ok: true; offer: ProductOffer; target: ExchangeTarget } | { ok: false; why: string };

/**
 * An exchange is for another colour or model of the same kind of product (the exchange article:
 * "a different product in the same category"); the price difference is paid or refunded. Null
 * when it is a like-for-like exchange after all.
 */
export function checkExchange(line: ReturnableLine, wanted: ProductOffer | { category: string } | null, currency: string): ExchangeCheck | null {
  if (wanted === null || !('sku' in wanted)) {
    // Another kind of device is refused below; the same kind without a model is a like-for-like swap.
    if (wanted === null || wanted.category === line.category) return null;
    return { ok: false, why: COPY.exchangeOtherKind(line.name) };
  }
  if (wanted.sku === line.sku) return null;
  if (wanted.category !== line.category) {
    return { ok: false, why: COPY.exchangeOtherCategory(wanted.name, line.name) };
  }
  if (wanted.finalSale || wanted.currency !== currency) return { ok: false, why: COPY.exchangeNotOrderable(wanted.name) };
  return { ok: true, offer: wanted, target: { sku: wanted.sku, differenceCents: (wanted.priceCents - line.unitPriceCents) * line.quantity } };
}

/** "(you pay the $29.00 difference)", "(we refund the $20.00 difference)", or nothing for the same price. */
export function differenceNote(target: ExchangeTarget, currency: string): string {
  if (target.differenceCents === 0) return '';
  const amount = formatMoney(Math.abs(target.differenceCents), currency);
  return target.differenceCents > 0 ? COPY.youPayDifference(amount) : COPY.weRefundDifference(amount);
}

/** The refund-or-exchange buttons, naming the product wanted instead when there is one. */
export function resolutionOptions(offer: ProductOffer | null): ChoiceOption[] {
  if (offer === null) return RESOLUTION_OPTIONS;
  return [COPY.exchangeForOption(offer.name), RESOLUTION_OPTIONS[0]!];
}
