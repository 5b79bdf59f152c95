import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';
import { sharedHarness } from '../../test/conversation.js';
import { DEMO_FIXTURES as ADA } from '../../db/shop/demo.js';

const ADA_EMAIL = 'ada@example.com';

describe.each(DEPLOYMENTS)('delivery problems over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const deliveryCases = () => service.database.db.selectFrom('cases').selectAll().where('kind', '=', 'delivery').execute();

  async function verifiedAnswer(first: string, order: string): Promise<string> {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say(first);
    expect(textOf(ask)).toMatch(/order number/);
    expect(textOf(await client.say(order))).toMatch(/6-digit code/);
    return textOf(await client.say((await latestCode(service.url, ADA_EMAIL))!));
  }

  test('a late parcel still inside its estimate gets tracking and the ETA, and no case', async () => {
    const text = await verifiedAnswer('my order is late', '100234');
    expect(text).toMatch(/Estimated delivery/);
    expect(text).toMatch(/https:\/\/www\.ups\.com\/track\S*/);
    expect(text).toMatch(/\/help\/delayed-shipment/);
    expect(await deliveryCases()).toHaveLength(0);
  });

  test('a parcel marked delivered but not received opens a carrier-trace case and says what happens next', async () => {
    const text = await verifiedAnswer('my package says delivered but i never got it', '100235');
    const rows = await deliveryCases();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customer_id: 'C1001', kind: 'delivery', status: 'open' });
    expect(rows[0]!.details).toMatchObject({ orderNumber: '100235', reason: 'marked_delivered_not_received', carrier: 'FedEx' });
    expect(text).toContain(`case ${rows[0]!.id}`);
    expect(text).toMatch(/replacement or a full refund/);
    expect(text).toMatch(/\/help\/lost-or-stolen-parcel/);
  });

  test('a damaged item is offered a return or exchange or a person, and opens no case', async () => {
    const before = (await deliveryCases()).length;
    const client = await new ChatClient(service.url).start();
    await client.say('the box arrived damaged');
    await client.say('100235');
    const answer = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const options = answer.messages.flatMap((m) => (m.message.kind === 'choice' ? m.message.options.map((o) => o.value) : []));
    expect(options).toEqual(expect.arrayContaining(['intent:return_request', 'intent:human_agent']));
    expect(textOf(answer)).toMatch(/\/help\/damaged-or-wrong-item-received/);
    expect(await deliveryCases()).toHaveLength(before);
  });
});

/** What the customer already said is not asked for again (issue #10). */
describe('delivery problems remember the order named before "What happened?" (embedded)', () => {
  const harness = sharedHarness();
  const ASKS_FOR_ORDER = /What's the order number|Which order/i;

  test.each(['webchat', 'text'] as const)('"my parcel for order 100235 hasnt shown up", then the kind of problem: the code goes out for 100235 without asking for it again (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    await c.send(`my parcel for order ${ADA.returnableOrder} hasnt shown up`).expectReply(/What happened\?/);
    const gate = await c.choose(/Says delivered/).expectNoReplyLike(ASKS_FOR_ORDER);
    expect(gate.text).toMatch(new RegExp(`order ${ADA.returnableOrder}.*6-digit code`, 's'));
    const answer = await c.typeCode(ADA.email).expectNoReplyLike(ASKS_FOR_ORDER);
    expect(answer.text).toMatch(/case/);
    await c.expectResolved('delivery_problem');
  });

  test('the kind of problem typed in words after "What happened?" keeps the order too', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`order ${ADA.returnableOrder} hasnt shown up`).expectReply(/What happened\?/);
    await c.send('app says its been delivered but theres nothing here').expectReply(new RegExp(`order ${ADA.returnableOrder}.*6-digit code`, 's'));
    await c.typeCode(ADA.email).expectNoReplyLike(ASKS_FOR_ORDER);
    await c.expectResolved('delivery_problem');
  });
});
