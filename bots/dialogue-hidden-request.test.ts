import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../db/shop/demo.js';
import { sharedHarness } from '../test/conversation.js';

/**
 * Requests the whole message hides (bots/dialogue.ts, `requestWithin`, and the two-requests
 * split): a greeting in front, an order number as a sentence of its own, a long story before
 * the question, a description before the request, an order named in a policy-sounding question.
 */
describe('a request hidden in the way the message is written', () => {
  const harness = sharedHarness();

  const flowsOf = async (c: Awaited<ReturnType<ReturnType<typeof harness>['conversation']>>) => (await c.outcome()).flows.map((f) => f.flow);

  test.each(['webchat', 'text'] as const)('a greeting in front of an order question starts the order question, not the menu (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    const reply = await c.send(`Hello, my order ${ADA.shippedOrder} was supposed to come today, any news?`).expectReply(/6-digit code/);
    expect(reply.text).not.toMatch(/How can I help you today|What's the order number/);
    await c.typeCode(ADA.email).expectReply(/Order 100234/);
  });

  test('a greeting alone is still a greeting', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('hello there').expectReply(/Where's my order\?/);
    expect(await flowsOf(c)).toEqual([]);
  });

  test('an order number as its own sentence names the order but does not decide what the message asks', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`tracking says delivered, nothing here. ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    expect(await flowsOf(c)).toEqual(['delivery_problem']);
  });

  test('a long story is understood by its closing request, with the order and product it named', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c
      .send(
        `so I got these earbuds (the buds anc) last week as part of order ${ADA.returnableOrder} and honestly they're fine, they work, but I just don't wear them, I prefer my old headphones, so can I send them back and get my money?`,
      )
      .expectReply(/6-digit code/);
    expect(await flowsOf(c)).toEqual(['returns']);
    const verified = await c.typeCode(ADA.email).expectReply(/What condition is the Voltline Buds ANC in/);
    expect(verified.text).not.toMatch(/What's the order number|Which item/);
  });

  test('a sentence that only describes the fault before "I want to return them" is one return, not a payment question first', async () => {
    const c = await harness().conversation({ channel: 'text' });
    const reply = await c.send(`the buds from ${ADA.returnableOrder} are faulty, left one doesn't charge. I want to return them`).expectReply(/6-digit code/);
    expect(reply.text).not.toMatch(/right after this/);
    // "faulty" already answers the item's condition: the return goes on to refund or exchange.
    await c.typeCode(ADA.email).expectReply(/What condition|refund or an exchange/);
    expect(await flowsOf(c)).toEqual(['returns']);
  });

  test('a cancellation in French is understood; the note says the assistant answers in English', async () => {
    const c = await harness().conversation({ channel: 'webchat', locale: 'fr' });
    const reply = await c.send('je veux annuler ma commande 100236').expectReply(/6-digit code/);
    expect(reply.text).toMatch(/anglais/);
    // Cancelling is a kind of order change: the flow that runs is order_change.
    expect(await flowsOf(c)).toEqual(['order_change']);
  });
});
