import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../../db/shop/demo.js';
import { sharedHarness } from '../../test/conversation.js';

/**
 * Issue #10's conversations that went round in circles: several items in one return, a question
 * asked in the middle of troubleshooting, a device problem the NLU split between two intents,
 * and a "no" that answered nothing the bot asked.
 */
describe('ways through and out of a flow (embedded)', () => {
  const harness = sharedHarness();

  test.each(['webchat', 'text'] as const)('"both" at "which item?" returns both items with one confirmation and one RMA each (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    await c.send(`I'd like to return something from order ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    await c.typeCode(ADA.email).expectReply(/Which item from order 100235/);
    const asked = await c.send('both of them please').expectReply(/What condition are the Voltline Buds ANC and the Voltline USB-C 65W Charger in/);
    expect(asked.text).not.toMatch(/Which item/);
    await c.choose(/Unopened/).expectReply(/Why are you returning/);
    await c.choose(/Changed my mind/).expectReply(/refund or an exchange/);
    await c.choose(/Refund/).expectReply(/How would you like to send it back/);
    await c.choose(/UPS Store/).expectReply(/Return the Voltline Buds ANC and the Voltline USB-C 65W Charger from order 100235 for a refund of \$228\.00/);
    const booked = await c.choose(/Yes/);
    expect(booked.text.match(/RMA number is RMA-/g)).toHaveLength(2);
    await c.expectResolved('returns');
  });

  test('"return everything in my order" asks no item question: the condition of both items comes first', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`please return everything in order ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    await c.typeCode(ADA.email).expectReply(/What condition are the Voltline Buds ANC and the Voltline USB-C 65W Charger in/);
  });

  test('a warranty question in the middle of troubleshooting is answered in passing and the same step is asked again', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('my camera is offline').expectReply(/What is the light on the camera doing/);
    const answer = await c.send('does my camera still have warranty?').expectReply(/24-month warranty/);
    expect(answer.text).toMatch(/Back to fixing your device[\s\S]*What is the light on the camera doing/);
    expect(answer.text).not.toMatch(/order number/i);
    await c.choose(/Blinking red/).expectReply(/change your Wi-Fi/);
    const outcome = await c.outcome();
    expect(outcome.flows.some((f) => f.flow === 'warranty')).toBe(false);
  });

  test('a device problem the NLU splits between two troubleshooting intents starts troubleshooting, which hands off when nothing helps', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c.send('the voltline thermo wont turn on the heat').expectReply(/What does the Voltline Thermo screen show/);
    await c.send('tried that already, no change');
    await c.send('still cold');
    await c.expectHandedOff();
  });

  test('"no" after "sorry, I didn\'t get that" answers nothing: the misses before it still count towards a person', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('hmm about that thing from before').expectReply(/didn't quite get that/);
    await c.send('no');
    await c.send('about that thing from before, hmm');
    await c.expectHandedOff(/misunderstood/);
  });
});
