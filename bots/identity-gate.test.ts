import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { sharedHarness } from '../test/conversation.js';

const ADA = DEMO_FIXTURES;

describe('the identity gate reuses what the customer already said', () => {
  const harness = sharedHarness();

  test('an email given before any flow is the claim when a flow later needs one: the code goes there, nobody asks again', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(ADA.email);
    const asked = await c.send('where are my orders').expectReply(/6-digit code/);
    expect(asked.text).not.toMatch(/order number\?|email address or phone/i);
    await c.typeCode(ADA.email).expectReply(/Which order/);
    await c.send(ADA.shippedOrder).expectReply(/UPS/);
    await c.expectResolved('order_status');
  });

  test('without an earlier email the gate still asks for an order number, email or phone', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('hello');
    await c.send('where are my orders').expectReply(/order number/i);
    expect(await c.takeCode(ADA.email, 50)).toBeNull();
  });
});
