import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, outboxCount, textOf, type SendResult } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';

function options(result: SendResult): Array<{ label: string; value: string }> {
  return result.messages.flatMap((m) => (m.message.kind === 'choice' ? m.message.options : []));
}

describe.each(DEPLOYMENTS)('order changes over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const db = () => service.database.db;
  const order = (number: string) => db().selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const timeline = (number: string) => db().selectFrom('order_status_events').select(['status']).where('order_number', '=', number).orderBy('at').execute();

  /** Starts a chat with `text` and answers the code sent to Ada. */
  async function verifiedChat(text: string): Promise<{ client: ChatClient; answer: SendResult }> {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say(text);
    expect(textOf(ask)).toMatch(/6-digit code/);
    const answer = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    return { client, answer };
  }

  test('changes the address of an unshipped order, re-asking for exactly what is missing first', async () => {
    const before = await order('100236');
    const { client, answer } = await verifiedChat('I need to change the shipping address on order 100236');
    expect(textOf(answer)).toMatch(/What's the new address\?/);

    const partial = await client.say('77 Elm Street, Portland');
    // The country may be left out (it stays the order's country); the postal code may not.
    expect(textOf(partial)).toMatch(/couldn't find the postal code in that/);
    expect((await order('100236')).shipping_address).toEqual(before.shipping_address);

    const full = await client.say('77 Elm Street, Portland, 97205, US');
    expect(textOf(full)).toMatch(/to: 77 Elm Street, Portland, 97205, United States\?/);
    expect((await order('100236')).shipping_address).toEqual(before.shipping_address);

    const sentBefore = await outboxCount(service.url);
    const done = await client.say('Yes, change it', { payload: 'confirm:yes' });
    expect(textOf(done)).toMatch(/Done: order 100236 will be delivered to 77 Elm Street/);
    const after = await order('100236');
    expect(after.shipping_address).toEqual({ line1: '77 Elm Street', city: 'Portland', postalCode: '97205', country: 'US' });
    expect(after.status).toBe('placed');
    // The address on file hears about the change, in case the chat wasn't the customer.
    expect(await outboxCount(service.url)).toBe(sentBefore + 1);
  });

  test('refuses an address change after shipment with carrier redirect options, and changes nothing', async () => {
    const before = await order('100234');
    const { answer } = await verifiedChat('wrong address on order 100234');
    const text = textOf(answer);
    expect(text).toMatch(/already with UPS/);
    expect(text).toMatch(/UPS My Choice/);
    expect(text).toMatch(/\/help\/change-shipping-address/);
    expect(options(answer).map((o) => o.value)).toContain('intent:human_agent');
    expect(await order('100234')).toEqual(before);
  });

  test("refuses to cancel a shipped order, explains why and offers a return, and doesn't touch it", async () => {
    const before = await order('100234');
    const eventsBefore = await timeline('100234');
    const { answer } = await verifiedChat('please cancel order 100234');
    expect(textOf(answer)).toMatch(/already shipped .*with UPS.*can't be cancelled anymore/);
    expect(options(answer).map((o) => o.value)).toEqual(expect.arrayContaining(['intent:return_request', 'intent:human_agent']));
    expect(await order('100234')).toEqual(before);
    expect(await timeline('100234')).toEqual(eventsBefore);
  });

  test('a customer cannot cancel someone else\'s order: same reply as an unknown order, nothing changes', async () => {
    const { client } = await verifiedChat('cancel my order 100236');
    const other = await client.say('No, keep it', { payload: 'confirm:no' });
    expect(textOf(other)).toMatch(/stays as it is/);
    const graces = await client.say('cancel order 100300');
    const unknown = await client.say('cancel order 199999');
    const normalise = (s: string) => s.replace(/\d{6}/g, 'N');
    expect(normalise(textOf(graces).split('\n')[0]!)).toBe(normalise(textOf(unknown).split('\n')[0]!));
    expect(textOf(graces)).toMatch(/couldn't find order 100300 on your account/);
    expect((await order('100300')).status).toBe('out_for_delivery');
    expect((await order('100236')).status).toBe('placed');
  });

  test('cancels an unshipped order after verification and a yes: status, timeline and payment follow', async () => {
    const { client, answer } = await verifiedChat('cancel order 100236');
    expect(textOf(answer)).toMatch(/hasn't shipped yet, so I can cancel it/);
    expect((await order('100236')).status).toBe('placed');
    const done = await client.say('yes');
    expect(textOf(done)).toMatch(/order 100236 is cancelled/);
    expect(textOf(done)).toMatch(/haven't been charged/);
    const after = await order('100236');
    expect(after.status).toBe('cancelled');
    expect(after.payment_status).toBe('failed');
    expect((await timeline('100236')).map((e) => e.status)).toEqual(['placed', 'cancelled']);

    const again = await client.say('cancel order 100236');
    expect(textOf(again)).toMatch(/already cancelled/);
    expect((await timeline('100236')).filter((e) => e.status === 'cancelled')).toHaveLength(1);
  });
});
