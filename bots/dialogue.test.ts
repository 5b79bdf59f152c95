import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../db/shop/demo.js';
import { sharedHarness } from '../test/conversation.js';

/**
 * The dialogue engine's fixed order of understanding, through the real pipeline without HTTP:
 * the expected answer, global commands, corrections, digressions with resuming, clarifying.
 */
describe('dialogue engine (embedded)', () => {
  const harness = sharedHarness();

  /** A verified return waiting for the item's condition. */
  async function returnAtCondition(channel: 'webchat' | 'text') {
    const c = await harness().conversation({ channel });
    await c.send(`I want to return my Voltline Buds ANC from order ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    await c.typeCode(ADA.email).expectReply(/What condition/);
    return c;
  }

  test.each(['webchat', 'text'] as const)('"cancel that" inside a return stops it and changes nothing (%s)', async (channel) => {
    const c = await returnAtCondition(channel);
    const reply = await c.send('cancel that').expectReply(/stopped that/i);
    expect(reply.text).not.toMatch(/What condition/);
    const outcome = await c.outcome();
    expect(outcome.flows.find((f) => f.flow === 'returns')?.ending).toBe('abandoned');
  });

  test.each(['never mind', 'ok forget it', 'stop', 'nvm'])('"%s" is a way out of any question', async (text) => {
    const c = await returnAtCondition('text');
    await c.send(text).expectReply(/stopped that/i);
  });

  test('"start over" inside a return starts the return again from its first question, forgetting the answers; on a fresh chat it starts no flow', async () => {
    const c = await returnAtCondition('webchat');
    await c.choose(/Opened/).expectReply(/Why are you returning it/);
    const again = await c.send('start over').expectReply(/start your return again from the top/i);
    // Still verified (no second code) and the same order; the item chosen before is asked again.
    expect(again.text).toMatch(/Which item from order 100235 would you like to return/);
    expect(again.text).not.toMatch(/6-digit code/);
    const flows = (await c.outcome()).flows.filter((f) => f.flow === 'returns');
    expect(flows.map((f) => f.ending)).toEqual(['abandoned', 'open']);

    const fresh = await harness().conversation({ channel: 'webchat' });
    await fresh.send('start over').expectReply(/What can I help you with|What would you like to do/i);
    expect((await fresh.outcome()).flows).toEqual([]);
  });

  test('"go back" asks the previous question again and the answer replaces the old one', async () => {
    const c = await returnAtCondition('text');
    await c.send('1').expectReply(/Why are you returning it/);
    await c.send('go back').expectReply(/What condition/);
    await c.choose(/Opened/).expectReply(/Why are you returning it/);
  });

  test('"go back" on a fresh chat starts no flow', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('go back');
    expect((await c.outcome()).flows).toEqual([]);
  });

  test('"menu" inside a flow offers to continue it, and continuing asks its question again', async () => {
    const c = await returnAtCondition('text');
    await c.send('menu').expectReply(/Continue your return/);
    await c.choose(/Continue your return/).expectReply(/What condition/);
    await c.choose(/Unopened/).expectReply(/Why are you returning it/);
  });

  test('a question in the middle of a return is answered and the return goes on', async () => {
    const c = await returnAtCondition('webchat');
    const reply = await c.send('who pays for return shipping?').expectReply(/Back to your return/);
    expect(reply.text).toMatch(/What condition/);
    expect(reply.text).not.toMatch(/Was this helpful/);
    await c.press(/Unopened/).expectReply(/Why are you returning it/);
  });

  test('a different task mid-flow is a digression; the bot offers to resume the return afterwards', async () => {
    const c = await returnAtCondition('webchat');
    await c.send(`where is my order ${ADA.shippedOrder}?`).expectReply(/Order 100234/);
    const offer = await c.press(/Yes, continue/).expectReply(/What condition/);
    expect(offer.text).toMatch(/Back to your return/);
    await c.press(/Unopened/).expectReply(/Why are you returning it/);
  });

  test('declining to resume drops the set-aside flow', async () => {
    const c = await returnAtCondition('text');
    await c.send(`where is my order ${ADA.shippedOrder}?`).expectReply(/Shall we get back to your return/);
    await c.choose(/No, thanks/).expectReply(/set that aside/);
    const outcome = await c.outcome();
    expect(outcome.flows.filter((f) => f.flow === 'returns').map((f) => f.ending)).toEqual(['abandoned']);
  });

  test('a person can be asked for in any state, and the flow in progress is recorded as abandoned', async () => {
    const c = await returnAtCondition('text');
    await c.send('talk to a human').expectReply(/member of our support team/);
    await c.expectHandedOff();
  });

  test('correcting the order number while a code is pending asks about the new order, not a wrong code', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('where is my order 100299').expectReply(/6-digit code/);
    const reply = await c.send(`sorry, I meant ${ADA.shippedOrder}`).expectReply(/6-digit code/);
    expect(reply.text).not.toMatch(/wrong|incorrect|doesn.t match/i);
    await c.typeCode(ADA.email).expectReply(/Order 100234/);
  });

  test('correcting the email while a code is pending sends a code for the corrected address, not a wrong-code refusal', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c.send('track my order').expectReply(/order number/);
    await c.send('ada@exmaple.com').expectReply(/6-digit code/);
    const reply = await c.send(`sorry, ${ADA.email}`).expectReply(/6-digit code/);
    expect(reply.text).not.toMatch(/doesn.t match|Please type the 6-digit code from the message/i);
    await c.typeCode(ADA.email).expectReply(/Which order|Order 100/);
  });

  test('an order number alone right after a status answer asks the same about that order', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`where is ${ADA.shippedOrder}`).expectReply(/6-digit code/);
    await c.typeCode(ADA.email).expectReply(/Order 100234/);
    const reply = await c.send(`ok and ${ADA.returnableOrder}?`).expectReply(/Order 100235/);
    expect(reply.text).not.toMatch(/didn.t quite get that|6-digit code/);
  });

  test('"the other one, the thermostat" right after a status answer is that other order, not an article about thermostats', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`status of ${ADA.shippedOrder}`).expectReply(/6-digit code/);
    await c.typeCode(ADA.email).expectReply(/Order 100234/);
    const reply = await c.send('and the other one I ordered, the thermostat?').expectReply(new RegExp(`Order ${ADA.cancellableOrder}`));
    expect(reply.text).not.toMatch(/Install your Voltline Thermo|Which order|6-digit code/);
  });

  test('"yes" with a question in the same message answers the flow and the question', async () => {
    const c = await returnAtCondition('webchat');
    await c.press(/Unopened/).expectReply(/Why are you returning it/);
    await c.press(/Changed my mind/).expectReply(/refund or an exchange/);
    await c.press(/Refund/).expectReply(/send it back/);
    await c.press(/label/i).expectReply(/Confirm return/);
    const reply = await c.send('yes. how long does the refund take?').expectReply(/RMA-/);
    expect(reply.text).toMatch(/business days/);
  });

  test('asking for a task that waits set aside takes it up where it stopped, not from the start', async () => {
    const c = await returnAtCondition('webchat');
    await c.send(`where is my order ${ADA.shippedOrder}?`).expectReply(/Shall we get back to your return/);
    const reply = await c.send('ok back to my return').expectReply(/What condition/);
    expect(reply.text).not.toMatch(/Which order is the item from|About order 100234/);
  });

  test('a message in another language gets a note in that language with the offer of a person', async () => {
    const c = await harness().conversation({ channel: 'text', locale: 'fr' });
    const reply = await c.send(`Bonjour, j'ai besoin d'aide`);
    expect(reply.text).toMatch(/anglais/);
    expect(reply.text).toMatch(/Talk to a person/);
  });

  test('a policy question beside a request is answered, and the request goes on', async () => {
    const c = await harness().conversation({ channel: 'text' });
    const reply = await c.send(`where is my order ${ADA.shippedOrder} and also how long do I have to return something`);
    expect(reply.text).toMatch(/help\/return-policy/);
    expect(reply.text).toMatch(/6-digit code/);
    expect(reply.text).not.toMatch(/Was this helpful/);
    await c.typeCode(ADA.email).expectReply(/Order 100234/);
  });

  test.each(['webchat', 'text'] as const)('a second task in the same message is queued behind the first and offered when it ends (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    const first = await c.send(`where is my order ${ADA.shippedOrder} and I also want to return the earbuds from ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    expect(first.text).toMatch(/right after this/);
    const status = await c.typeCode(ADA.email).expectReply(new RegExp(`Order ${ADA.shippedOrder}`));
    // The first task answered, the second is offered at once; its words are not asked for again.
    expect(status.text).toMatch(/also asked about your return\. Shall we do that now/);
    await c.choose(/^Yes/).expectReply(/What condition/);
    const outcome = await c.outcome();
    expect(outcome.flows.find((f) => f.flow === 'order_status')?.ending).toBe('resolved');
    expect(outcome.flows.find((f) => f.flow === 'returns')?.ending).toBe('open');
  });
});
