import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { ConversationHarness } from './conversation.js';

const ADA = DEMO_FIXTURES;

describe('conversation harness on the embedded deployment', () => {
  let harness: ConversationHarness;
  beforeAll(async () => {
    harness = await ConversationHarness.start();
  });
  afterAll(async () => {
    await harness.close();
  });

  test.each(['webchat', 'text'] as const)('order status with a one-time code from the outbox (%s)', async (channel) => {
    const c = await harness.conversation({ channel });
    await c.send('where is my order?').expectReply(/order number/i);
    await c.send(ADA.shippedOrder).expectReply(/6-digit code/);
    const answer = await c.typeCode(ADA.email).expectReply(/Order 100234: Shipped/);
    expect(answer.text).toMatch(/UPS/);
    const outcome = await c.expectResolved('order_status');
    expect(outcome.verifiedCustomerId).toBe(ADA.customerId);
  });

  test('a return on web chat by pressing buttons; the shop is fresh again afterwards', async () => {
    const c = await harness.conversation({ channel: 'webchat' });
    await c.send(`I want to return my Voltline Buds ANC from order ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    const condition = await c.typeCode(ADA.email).expectReply(/What condition/);
    expect(condition.buttons.map((b) => b.value)).toContain('return-condition:unopened');
    await c.press(/Unopened/);
    await c.press('Changed my mind');
    await c.press(/^Refund$/);
    await c.press(/Prepaid label/);
    await c.press(/Yes/).expectReply(/RMA-[0-9A-Z]{8}/);
    await c.expectResolved('returns');

    const returns = () => harness.service.database.db.selectFrom('returns').selectAll().execute();
    await harness.settle();
    expect(await returns()).toHaveLength(1);
    await harness.resetShop();
    expect(await returns()).toHaveLength(0);
  });

  test('a text-only channel shows choices as a numbered list, no buttons; a typed number or label picks one', async () => {
    const c = await harness.conversation({ channel: 'text' });
    await c.send(`I want to return my Voltline Buds ANC from order ${ADA.returnableOrder}`);
    const condition = await c.typeCode(ADA.email);
    expect(condition.buttons).toEqual([]);
    expect(condition.text).toMatch(/^1\. Unopened, still sealed$/m);
    await expect(c.press(/Unopened/)).rejects.toThrow(/no buttons/);
    await c.send('1').expectReply(/Why are you returning it/);
    await c.choose(/Changed my mind/).expectReply(/refund or an exchange/i);
    await c.send('refund').expectReply(/How would you like to send it back/);
    await c.send('prepaid label');
    await c.send('yes').expectReply(/RMA-/);
    await c.expectResolved('returns');
    await harness.resetShop();
  });

  test('a request for a person hands the conversation off and mutes the bot', async () => {
    const c = await harness.conversation({ channel: 'text' });
    await c.send('talk to a human').expectReply(/connecting you/i);
    await c.expectHandedOff(/customer_asked/);
    await c.expectStatus('queued');
    const relayed = await c.send('hello? anyone there?');
    expect(relayed).toMatchObject({ kind: 'relayed', replies: [] });
  });

  test('what must not happen: the assertions fail, quoting what the bot said', async () => {
    const c = await harness.conversation();
    await expect(c.send('hi').expectReply(/RMA-/)).rejects.toThrow(/expected a reply matching \/RMA-\/; the bot said:\n/);
    await expect(c.expectResolved('returns')).rejects.toThrow(/expected returns resolved by the bot/);
    await expect(c.expectHandedOff()).rejects.toThrow(/expected a hand-off/);
    // No code was sent in this conversation: none is read from an earlier one's.
    expect(await c.takeCode(ADA.email, 50)).toBeNull();
  });
});

describe('conversation harness on Redis + Postgres', () => {
  let harness: ConversationHarness;
  beforeAll(async () => {
    harness = await ConversationHarness.start({ deployment: 'redis+postgres' });
  });
  afterAll(async () => {
    await harness.close();
  });

  test('order status by email on a text-only channel, picking the order by its number on the list', async () => {
    const c = await harness.conversation({ channel: 'text' });
    await c.send('I want to track my order');
    await c.send(`my email is ${ADA.email}`).expectReply(/6-digit code/);
    const list = await c.typeCode(ADA.email);
    expect(list.text).toMatch(/\d\. .*100235/);
    await c.choose(/100235/).expectReply(/Order 100235: Delivered/);
    await c.expectResolved('order_status');
  });

  test('cancelling an order changes it, and resetting the shop restores it', async () => {
    const status = async () => (await harness.service.database.db.selectFrom('orders').select('status').where('number', '=', ADA.cancellableOrder).executeTakeFirstOrThrow()).status;
    const c = await harness.conversation({ channel: 'webchat' });
    await c.send(`cancel my order ${ADA.cancellableOrder}`);
    await c.typeCode(ADA.email);
    await c.send('yes').expectReply(/cancelled/);
    await harness.settle();
    expect(await status()).toBe('cancelled');
    await harness.resetShop();
    expect(await status()).toBe('placed');
  });
});
