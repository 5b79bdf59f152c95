import { ORDERS_COPY_EN as COPY } from '../copy/orders.js';
import { payloadValue, type FlowContext, type Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { formatDay, STATUS_LABEL } from './order-format.js';

export const CHOOSING_ORDER_STEP = 'choosing_order';

/**
 * Asks which of the customer's recent orders they mean. Returns false when they have none,
 * after saying so. Orders are listed from the server-side verified customer only.
 */
export async function askWhichOrder(customer: VerifiedCustomer, reply: Reply, question: string, timeZone: string): Promise<boolean> {
  const recent = await customer.orders();
  if (recent.length === 0) {
    reply.say(COPY.noOrders).expect(null).end('resolved');
    return false;
  }
  reply
    .choose(
      question,
      recent.map((o) => ({
        label: COPY.orderOption(o.number, o.firstItem, STATUS_LABEL[o.status], formatDay(o.placedAt, timeZone)).slice(0, 100),
        value: `order:${o.number}`,
      })),
    )
    .set('order_number', null)
    .expect('order_number')
    .step(CHOOSING_ORDER_STEP);
  return true;
}

const money = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number, currency: string): string {
  let format = money.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    money.set(currency, format);
  }
  return format.format(cents / 100);
}

/** The intent that started or continues a flow: a pressed `intent:x` quick reply wins over the NLU. */
export function chosenIntent(ctx: FlowContext): string | null {
  return payloadValue(ctx, 'intent') ?? ctx.nlu.intent;
}

/** Yes/no from a pressed `confirm:yes|no` or the affirm/deny intents; null when it is neither. */
export function yesOrNo(ctx: FlowContext): boolean | null {
  const pressed = payloadValue(ctx, 'confirm');
  if (pressed !== null) return pressed === 'yes';
  if (ctx.nlu.intent === 'affirm') return true;
  if (ctx.nlu.intent === 'deny') return false;
  return null;
}

export const YES_NO = (yes: string, no: string) => [
  { label: yes, value: 'confirm:yes' },
  { label: no, value: 'confirm:no' },
];

export const TALK_TO_PERSON = COPY.talkToPerson;
