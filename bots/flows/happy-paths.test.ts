import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../../db/shop/demo.js';
import { sharedHarness, type HarnessConversation } from '../../test/conversation.js';
import { endings, FLOW_OPENINGS, openFlow, type FlowOpening } from '../../test/flow-openings.js';

/** What the customer does after the opening: types, types the newest code sent to an address, or picks a listed option. */
type Step = string | { code: string } | { choose: RegExp };

/**
 * Every flow from its opening (test/flow-openings.ts) to the end the customer came for, on the
 * text-only channel: the answer they see and the flow recorded as resolved, no person needed.
 * The return's many questions are walked on web chat in test/conversation.test.ts.
 */
const HAPPY_PATHS: Record<string, { steps: Step[]; says: RegExp }> = {
  'order status': { steps: [ADA.shippedOrder, { code: ADA.email }], says: /Order 100234: Shipped[^]*UPS/ },
  'refund status': { steps: [ADA.returnableOrder, { code: ADA.email }], says: /no (?:refund|return)|don.t see|couldn.t find/i },
  troubleshooting: { steps: ['blinking red', 'no', 'ok unplugged it and waited, it works now'], says: /glad|great|back online|working/i },
  warranty: { steps: [ADA.setupOrder, { code: ADA.email }, 'no thanks'], says: /covered by the 24-month warranty/ },
  'delivery problem': { steps: [ADA.shippedOrder, { code: ADA.email }], says: /UPS/ },
  payment: { steps: [ADA.returnableOrder, { code: ADA.email }], says: /case|refund request/i },
  'password reset': { steps: [ADA.email], says: /sent a reset link/ },
  'order cancel': { steps: [ADA.cancellableOrder, { code: ADA.email }, { choose: /Yes, cancel it/ }], says: /order 100236 is cancelled/ },
  'address change': { steps: [ADA.cancellableOrder, { code: ADA.email }, '500 Howard St, San Francisco, CA 94105, US', 'yes'], says: /will be delivered to 500 Howard St/ },
  'knowledge answer': { steps: [{ choose: /^Yes/ }], says: /within 30 days of delivery/ },
};

describe('every flow from its opening to its end (embedded, text channel)', () => {
  const harness = sharedHarness();

  async function take(c: HarnessConversation, step: Step) {
    if (typeof step === 'string') return c.send(step);
    return 'code' in step ? c.typeCode(step.code) : c.choose(step.choose);
  }

  const rows = FLOW_OPENINGS.filter((row) => HAPPY_PATHS[row.name] !== undefined).map((row) => ({ ...row, path: HAPPY_PATHS[row.name]! }));

  test('the table walks every flow the openings list but the return', () => {
    expect(FLOW_OPENINGS.filter((row) => HAPPY_PATHS[row.name] === undefined).map((row: FlowOpening) => row.name)).toEqual(['return or exchange']);
  });

  test.each(rows)('$name: the customer gets what they came for and the flow ends resolved', async (row) => {
    const c = await harness().conversation({ channel: 'text' });
    await openFlow(c, row);
    for (const step of row.path.steps) await take(c, step);
    const outcome = await c.outcome();
    expect(outcome.botSaid.join('\n')).toMatch(row.path.says);
    expect(endings(outcome.flows, row)).toContain('resolved');
    expect(outcome.handoff).toBeNull();
    expect(outcome.botSaid.join('\n')).not.toMatch(/didn.t quite get that|doesn't look like one of our order numbers/);
  });
});
