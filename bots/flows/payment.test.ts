import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, outboxCount, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';

describe.each(DEPLOYMENTS)('payment problems over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const cases = () => service.database.db.selectFrom('cases').selectAll().where('kind', '=', 'refund_request').execute();

  test('a declined card gets guidance and the payment article without any verification', async () => {
    const before = await outboxCount(service.url);
    const answer = await (await new ChatClient(service.url).start()).say('my card was declined at checkout');
    const text = textOf(answer);
    expect(text).toMatch(/billing address/);
    expect(text).toMatch(/3-D Secure/);
    expect(text).toMatch(/another way: PayPal/);
    expect(text).toMatch(/\/help\/card-declined\b/);
    expect(text).not.toMatch(/6-digit code|order number/);
    expect(await outboxCount(service.url)).toBe(before);
  });

  test('a double charge on a paid order opens one refund request with the order and amount, and says the case id', async () => {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say('i was charged twice for order 100234');
    expect(textOf(ask)).toMatch(/6-digit code/);
    expect(await cases()).toHaveLength(0);

    const answer = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const rows = await cases();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ customer_id: 'C1001', kind: 'refund_request', status: 'open' });
    expect(row.details).toMatchObject({ orderNumber: '100234', paymentStatus: 'paid', reason: 'duplicate_charge' });
    expect(typeof (row.details as { amountCents: unknown }).amountCents).toBe('number');
    expect(textOf(answer)).toContain(`case ${row.id}`);
    expect(textOf(answer)).toMatch(/within 1 business day/);

    // Asking again doesn't open a second case for the same order.
    const again = await client.say('I was charged twice for order 100234');
    expect(textOf(again)).toMatch(new RegExp(`already an open refund request .*${row.id}`));
    expect(await cases()).toHaveLength(1);
  });

  test('a charge on an order not yet captured is explained as a hold; a case only when the customer sees two posted charges', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('double charged for order 100236');
    const answer = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    expect(textOf(answer)).toMatch(/authorisation hold/);
    expect(textOf(answer)).toMatch(/\/help\/charged-twice-or-pending-charge/);
    const ordersCases = async () => (await cases()).filter((c) => (c.details as { orderNumber?: string }).orderNumber === '100236');
    expect(await ordersCases()).toHaveLength(0);

    const posted = await client.say('I see two posted charges', { payload: 'payment:posted' });
    expect(textOf(posted)).toMatch(/opened a refund request for order 100236/);
    expect(await ordersCases()).toHaveLength(1);
  });
});
