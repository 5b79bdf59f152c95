import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { DEFAULT_RETURN_POLICY_FILE, loadReturnPolicy, parseReturnPolicy } from './policy-file.js';
import { evaluateReturn, settleReturn, type ReturnInput } from './policy.js';

const policy = await loadReturnPolicy();
const DAY = 24 * 60 * 60 * 1000;
const delivered = new Date('2025-03-01T15:00:00Z');
const daysAfter = (days: number, time = 'T23:59:00Z') => new Date(new Date(delivered.getTime() + days * DAY).toISOString().slice(0, 10) + time);

const buds: ReturnInput = {
  productName: 'Voltline Buds ANC',
  category: 'headphones',
  finalSale: false,
  returnWindowDays: 30,
  warrantyMonths: 24,
  deliveredAt: delivered,
  orderStatus: 'delivered',
  condition: 'unopened',
  reason: 'changed_mind',
  unitPriceCents: 17_900,
  quantity: 1,
  now: daysAfter(5),
};
const laptop: ReturnInput = { ...buds, productName: 'Voltline Book 14', category: 'laptop', returnWindowDays: 15, unitPriceCents: 129_900 };
const tv: ReturnInput = { ...buds, productName: 'Voltline Vision 55" TV', category: 'tv', returnWindowDays: 15, unitPriceCents: 89_900 };
const licence: ReturnInput = { ...buds, productName: 'Voltline Home Secure licence', category: 'software', returnWindowDays: 30, warrantyMonths: 0 };

describe('return policy engine', () => {
  test.each([
    ['headphones, unopened, day 5', buds, true, 'within_window', 0],
    ['headphones on day 30 (last day of the window)', { ...buds, now: daysAfter(30) }, true, 'within_window', 0],
    ['headphones on day 31', { ...buds, now: daysAfter(31, 'T00:00:01Z') }, false, 'outside_window', null],
    ['laptop on day 15', { ...laptop, now: daysAfter(15) }, true, 'within_window', 0],
    ['laptop on day 16', { ...laptop, now: daysAfter(16, 'T08:00:00Z') }, false, 'outside_window', null],
    ['TV 40 days after delivery', { ...tv, now: daysAfter(40) }, false, 'outside_window', null],
    ['opened laptop, changed mind: 15% fee', { ...laptop, condition: 'opened' }, true, 'within_window', 19_485],
    ['opened TV, not as expected: 15% fee', { ...tv, condition: 'opened', reason: 'not_as_expected' }, true, 'within_window', 13_485],
    ['opened laptop, wrong item sent: no fee', { ...laptop, condition: 'opened', reason: 'wrong_item' }, true, 'within_window', 0],
    ['defective laptop: no fee', { ...laptop, condition: 'defective', reason: 'faulty' }, true, 'faulty_item', 0],
    ['sealed laptop: no fee', laptop, true, 'within_window', 0],
    ['opened headphones: no fee', { ...buds, condition: 'opened' }, true, 'within_window', 0],
    ['two opened TVs: fee on both', { ...tv, condition: 'opened', quantity: 2 }, true, 'within_window', 26_970],
    ['final sale', { ...buds, finalSale: true }, false, 'final_sale', null],
    ['gift card', { ...buds, category: 'gift_card' }, false, 'non_returnable_category', null],
    ['opened software', { ...licence, condition: 'opened' }, false, 'opened_sealed_only', null],
    ['sealed software', licence, true, 'within_window', 0],
    ['order not shipped yet', { ...buds, orderStatus: 'paid', deliveredAt: null }, false, 'not_delivered', null],
    ['order in transit', { ...buds, orderStatus: 'shipped', deliveredAt: null }, false, 'not_delivered', null],
    ['cancelled order', { ...buds, orderStatus: 'cancelled', deliveredAt: null }, false, 'order_cancelled', null],
    ['order already returned', { ...buds, orderStatus: 'returned' }, false, 'already_returned', null],
    ['delivered order without a delivery date', { ...buds, deliveredAt: null }, false, 'not_delivered', null],
  ] as const)('%s', (_name, input, eligible, reason, fee) => {
    const decision = evaluateReturn(input, policy);
    expect(decision).toMatchObject({ eligible, reason });
    expect(decision.explanation.length).toBeGreaterThan(20);
    if (decision.eligible) expect(decision.restockingFeeCents).toBe(fee);
  });

  test.each([
    ['not shipped → cancel instead', { ...buds, orderStatus: 'placed', deliveredAt: null }, ['cancel_order']],
    ['in transit → wait for delivery', { ...buds, orderStatus: 'out_for_delivery', deliveredAt: null }, ['wait_for_delivery']],
    ['defective after the window, within warranty → warranty claim', { ...tv, condition: 'defective', now: daysAfter(200) }, ['warranty_claim', 'talk_to_person']],
    ['defective after the warranty ended → a person only', { ...tv, condition: 'defective', now: daysAfter(800) }, ['talk_to_person']],
    ['working item after the window → a person, no warranty claim', { ...tv, condition: 'opened', now: daysAfter(40) }, ['talk_to_person']],
    ['defective final-sale item → warranty claim', { ...buds, finalSale: true, condition: 'defective' }, ['warranty_claim', 'talk_to_person']],
  ] as const)('alternatives: %s', (_name, input, alternatives) => {
    const decision = evaluateReturn(input, policy);
    expect(decision.eligible).toBe(false);
    if (!decision.eligible) expect(decision.alternatives).toEqual(alternatives);
  });

  test('the refusal names the window, the delivery date and the day it closed', () => {
    const decision = evaluateReturn({ ...tv, now: daysAfter(40) }, policy);
    expect(decision.explanation).toBe(
      'The return window for TVs is 15 days from delivery. Your Voltline Vision 55" TV was delivered on March 1, 2025, so the window closed on March 16, 2025.',
    );
    expect(decision.deadline?.toISOString()).toBe('2025-03-16T23:59:59.999Z');
  });

  test.each([
    ['delivered Nov 20, a TV, returned Jan 10: holiday extension', { ...tv, deliveredAt: new Date('2025-11-20T10:00:00Z'), now: new Date('2026-01-10T10:00:00Z') }, true, 'holiday_extension'],
    ['delivered Dec 24, returned Jan 15: last holiday day', { ...buds, deliveredAt: new Date('2025-12-24T10:00:00Z'), now: new Date('2026-01-15T23:00:00Z') }, true, 'within_window'],
    ['delivered Nov 20, returned Jan 16: too late', { ...tv, deliveredAt: new Date('2025-11-20T10:00:00Z'), now: new Date('2026-01-16T00:30:00Z') }, false, 'outside_window'],
    ['delivered Nov 14: no extension', { ...tv, deliveredAt: new Date('2025-11-14T10:00:00Z'), now: new Date('2025-12-10T10:00:00Z') }, false, 'outside_window'],
    ['delivered Dec 26: no extension, ordinary 30 days', { ...buds, deliveredAt: new Date('2025-12-26T10:00:00Z'), now: new Date('2026-01-20T10:00:00Z') }, true, 'within_window'],
  ] as const)('holiday returns: %s', (_name, input, eligible, reason) => {
    expect(evaluateReturn(input, policy)).toMatchObject({ eligible, reason });
  });

  test('a refund is the price minus the restocking fee; an exchange waives the fee', () => {
    const decision = evaluateReturn({ ...laptop, condition: 'opened', unitPriceCents: 129_900 }, policy);
    if (!decision.eligible) throw new Error('expected eligible');
    expect(settleReturn(decision, 'refund', { unitPriceCents: 129_900, quantity: 1 }, policy)).toEqual({ refundCents: 110_415, restockingFeeCents: 19_485 });
    expect(settleReturn(decision, 'exchange', { unitPriceCents: 129_900, quantity: 1 }, policy)).toEqual({ refundCents: 0, restockingFeeCents: 0 });
  });

  test('a category rule in the policy file overrides the product record', () => {
    const custom = parseReturnPolicy('categories:\n  headphones: { windowDays: 10 }\nreturnAddress: [Returns]\n', 'custom.yaml');
    expect(evaluateReturn({ ...buds, now: daysAfter(11) }, custom)).toMatchObject({ eligible: false, reason: 'outside_window' });
    expect(evaluateReturn({ ...buds, now: daysAfter(11) }, policy)).toMatchObject({ eligible: true });
  });
});

describe('return policy file', () => {
  test('the shipped policy file matches the published articles: 15 days and a 15% fee for TVs and laptops', async () => {
    const source = await readFile(DEFAULT_RETURN_POLICY_FILE, 'utf8');
    const parsed = parseReturnPolicy(source, 'policy.yaml');
    expect(parsed.categories.tv).toMatchObject({ windowDays: 15, restockingFeePercent: 15 });
    expect(parsed.categories.laptop).toMatchObject({ windowDays: 15, restockingFeePercent: 15 });
    expect(parsed.holiday).toEqual({ deliveredFrom: '11-15', deliveredTo: '12-24', returnBy: '01-15' });
  });

  test.each([
    ['categories:\n  tv: { windowDays: -1 }\nreturnAddress: [x]\n', /bad\.yaml is invalid: categories\.tv\.windowDays/],
    ['holiday: { deliveredFrom: "Nov 15", deliveredTo: "12-24", returnBy: "01-15" }\nreturnAddress: [x]\n', /holiday\.deliveredFrom must be MM-DD/],
    ['categories: {}\n', /returnAddress/],
    ['categories:\n  tv: { windowDayz: 15 }\nreturnAddress: [x]\n', /categories\.tv/],
    ['categories: [oops\n', /not valid YAML/],
  ])('a bad policy file is refused with the file and field named (%#)', (source, message) => {
    expect(() => parseReturnPolicy(source, 'bad.yaml')).toThrowError(message);
  });

  test('a missing policy file names RETURN_POLICY_FILE', async () => {
    await expect(loadReturnPolicy('/nonexistent/policy.yaml')).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringMatching(/RETURN_POLICY_FILE=/) });
  });
});
