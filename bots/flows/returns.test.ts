import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { ConversationRepository } from '../../db/conversations.js';
import { ReturnRepository } from '../../db/returns.js';
import { DEMO_FIXTURES } from '../../db/shop/demo.js';
import { resolveSecrets } from '../../server/secrets.js';
import { ChatClient, latestCode, textOf, type SendResult } from '../../test/chat-client.js';
import { sharedHarness } from '../../test/conversation.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../../test/service.js';
import { ReturnLabelLinks } from '../returns/label-link.js';
import { DEFAULT_RETURN_POLICY_FILE } from '../returns/policy-file.js';

const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;

function options(result: SendResult): Array<{ label: string; value: string }> {
  const choice = result.messages.findLast((m) => m.message.kind === 'choice');
  return choice?.message.kind === 'choice' ? choice.message.options : [];
}

async function press(client: ChatClient, result: SendResult, value: string): Promise<SendResult> {
  const option = options(result).find((o) => o.value === value);
  expect(option, `quick reply ${value} among ${JSON.stringify(options(result))}`).toBeDefined();
  return client.say(option!.label, { payload: value });
}

function labelLink(result: SendResult): string | null {
  for (const m of result.messages) if (m.message.kind === 'card' && m.message.link?.url.includes('/label.pdf')) return m.message.link.url;
  return null;
}

/**
 * The shipped policy without the holiday rule: the demo's dates are relative to today, so between
 * late December and January 15 Grace's TV would fall in the holiday extension. Holiday rules are
 * covered in policy.test.ts; this also proves RETURN_POLICY_FILE is honoured.
 */
async function policyWithoutHoliday(): Promise<string> {
  const policy = parse(await readFile(DEFAULT_RETURN_POLICY_FILE, 'utf8')) as Record<string, unknown>;
  const file = path.join(os.tmpdir(), `sb-return-policy-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, stringify({ ...policy, holiday: null }));
  return file;
}

describe.each(DEPLOYMENTS)('returns and refund status over web chat (%s)', (deployment) => {
  let service: TestService;
  let policyFile: string;
  beforeAll(async () => {
    policyFile = await policyWithoutHoliday();
    service = await startTestService(deployment, { RETURN_POLICY_FILE: policyFile });
  });
  afterAll(async () => {
    await service.dispose();
    await rm(policyFile, { force: true });
  });

  const returnsOf = (order: string) => service.database.db.selectFrom('returns').selectAll().where('order_number', '=', order).execute();
  async function verifiedChat(first: string, email: string): Promise<{ client: ChatClient; reply: SendResult }> {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say(first);
    expect(textOf(ask)).toMatch(/6-digit code/);
    return { client, reply: await client.say((await latestCode(service.url, email))!) };
  }

  test('Ada returns her Buds ANC with a prepaid label: one RMA, the refund amount and a label link that downloads a PDF', async () => {
    const { client, reply } = await verifiedChat(`I want to return my Voltline Buds ANC from order ${ADA.returnableOrder}`, ADA.email);
    expect(textOf(reply)).toMatch(/What condition is the Voltline Buds ANC in\?/);
    const reason = await press(client, reply, 'return-condition:unopened');
    const decided = await press(client, reason, 'return-reason:changed_mind');
    expect(textOf(decided)).toMatch(/Voltline Buds ANC can be returned until/);
    const method = await press(client, decided, 'return-resolution:refund');
    const confirm = await press(client, method, 'return-method:label');
    expect(textOf(confirm)).toMatch(/refund of \$179\.00.*Confirm return\?/s);
    expect(await returnsOf(ADA.returnableOrder)).toHaveLength(0);

    const done = await press(client, confirm, 'return-confirm:yes');
    const rma = /RMA-[0-9A-Z]{8}/.exec(textOf(done))?.[0];
    expect(rma).toBeDefined();
    expect(textOf(done)).toMatch(/refund will be \$179\.00/);
    const rows = await returnsOf(ADA.returnableOrder);
    expect(rows).toMatchObject([{ rma, customer_id: ADA.customerId, status: 'label_issued', method: 'label', resolution: 'refund', refund_cents: 17_900, restocking_fee_cents: 0 }]);

    const url = labelLink(done)!;
    expect(url).toMatch(new RegExp(`/returns/${rma}/label\\.pdf\\?expires=\\d+&sig=`));
    const pdf = await fetch(url);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('a forged, altered or expired label link is refused with 403 and no PDF; an unknown RMA is 404', async () => {
    const [row] = await returnsOf(ADA.returnableOrder);
    const secret = (await resolveSecrets(loadConfig(service.env))).sessionSecret;
    const links = new ReturnLabelLinks(secret, 14);
    const good = new URL(links.url(service.url, row!.rma, new Date()));
    const forged = new URL(good);
    forged.searchParams.set('sig', 'A'.repeat(43));
    const longer = new URL(good);
    longer.searchParams.set('expires', String(Number(good.searchParams.get('expires')) + 86_400));
    const expired = new URL(links.url(service.url, row!.rma, new Date(Date.now() - 15 * 24 * 3600 * 1000)));
    const unsigned = new URL(`${service.url}/returns/${row!.rma}/label.pdf`);
    for (const url of [forged, longer, expired, unsigned]) {
      const res = await fetch(url);
      expect(res.status, url.toString()).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_FORBIDDEN');
    }
    const unknown = await fetch(links.url(service.url, 'RMA-ZZZZZZZZ', new Date()));
    expect(unknown.status).toBe(404);
    expect((await fetch(good)).status).toBe(200);
  });

  test('asking to return the same item again shows the existing RMA and never creates a second one', async () => {
    const [first] = await returnsOf(ADA.returnableOrder);
    const { reply } = await verifiedChat(`return the Voltline Buds ANC from ${ADA.returnableOrder}`, ADA.email);
    expect(textOf(reply)).toContain(`You already have a return for the Voltline Buds ANC from order ${ADA.returnableOrder}: RMA ${first!.rma}`);
    expect(labelLink(reply)).not.toBeNull();
    expect(await returnsOf(ADA.returnableOrder)).toHaveLength(1);
  });

  test("Grace's TV delivered 40 days ago is refused with the 15-day window before its condition is asked, and no RMA is created", async () => {
    const { client, reply } = await verifiedChat(`I want to return the TV from order ${GRACE.expiredReturnOrder}`, GRACE.email);
    // The window closed whatever the TV's condition: nobody describes an item that cannot come back.
    expect(textOf(reply)).toMatch(/The return window for TVs is 15 days from delivery\. Your Voltline Vision 55" TV was delivered on .*, so the window closed on/);
    expect(textOf(reply)).toMatch(/If it's faulty, it's still covered by the warranty until/);
    expect(textOf(reply)).not.toMatch(/What condition|RMA-|Confirm return/);
    const declined = await client.say('no thanks, it works, I just changed my mind');
    expect(options(declined).map((o) => o.value)).toContain('intent:human_agent');
    expect(textOf(declined)).not.toMatch(/RMA-|CASE-|Confirm return/);
    expect(await returnsOf(GRACE.expiredReturnOrder)).toHaveLength(0);
    expect(await service.database.db.selectFrom('cases').selectAll().where('customer_id', '=', GRACE.customerId).execute()).toHaveLength(0);
    // Asking for a person right after the refusal asks for an exception: the returns team sees why.
    await press(client, declined, 'intent:human_agent');
    const { conversationId } = await client.history();
    const triaged = (await new ConversationRepository(service.database.db).loadEvents(conversationId!)).map((e) => e.event).find((event) => event.type === 'triaged');
    expect(triaged).toMatchObject({ reason: 'beyond_policy', category: 'returns', team: 'returns' });
    expect(triaged?.type === 'triaged' ? triaged.detail : null).toMatch(/exception to the returns policy \(outside_window: order \d+, Voltline Vision/);
  });

  test('a faulty TV outside the window is offered a warranty claim, which opens a case instead of a return', async () => {
    const { client, reply } = await verifiedChat(`return my Voltline Vision 55" TV from ${GRACE.expiredReturnOrder}, it stopped working`, GRACE.email);
    // "it stopped working" already says the condition: the warranty is offered without asking it.
    const offer = reply;
    expect(textOf(offer)).toMatch(/covered by the warranty until/);
    expect(textOf(offer)).not.toMatch(/What condition/);
    const claimed = await press(client, offer, 'return-alt:warranty');
    const caseId = /CASE-[0-9A-F]{8}/.exec(textOf(claimed))?.[0];
    expect(caseId).toBeDefined();
    const cases = await service.database.db.selectFrom('cases').selectAll().where('id', '=', caseId!).execute();
    expect(cases).toMatchObject([{ customer_id: GRACE.customerId, kind: 'warranty' }]);
    expect(await returnsOf(GRACE.expiredReturnOrder)).toHaveLength(0);
  });

  test('saying no at the confirmation books nothing', async () => {
    const { client, reply } = await verifiedChat(`I'd like to return the charger from order ${ADA.returnableOrder}`, ADA.email);
    const item = options(reply).find((o) => o.label.includes('Charger'));
    let step = item ? await press(client, reply, item.value) : reply;
    step = await press(client, step, 'return-condition:opened');
    step = await press(client, step, 'return-reason:not_as_expected');
    step = await press(client, step, 'return-resolution:exchange');
    step = await press(client, step, 'return-method:drop_off');
    expect(textOf(step)).toMatch(/for an exchange .*UPS Store\. Confirm return\?/);
    // Typed, not pressed: "cancel" here is a no, not the order-cancel intent.
    const cancelled = await client.say('cancel');
    expect(textOf(cancelled)).toMatch(/cancelled this return; nothing was booked/);
    expect(await returnsOf(ADA.returnableOrder)).toHaveLength(1);
  });

  test('an order number given earlier in the conversation is not asked for again', async () => {
    const { client, reply } = await verifiedChat(`where is my order ${ADA.returnableOrder}?`, ADA.email);
    expect(textOf(reply)).toMatch(/Order 100235: Delivered/);
    const start = await client.say('I want to return something');
    expect(textOf(start)).toMatch(/Which item from order 100235 would you like to return\?/);
    expect(textOf(start)).not.toMatch(/order number|6-digit code|Which order/);
  });

  test('a restart in the middle of a return continues at the same step without asking again', async () => {
    const { client, reply } = await verifiedChat(`return an item from order ${ADA.returnableOrder}`, ADA.email);
    expect(textOf(reply)).toMatch(/Which item from order 100235/);
    const condition = await press(client, reply, options(reply).find((o) => o.label.includes('Charger'))!.value);
    expect(textOf(condition)).toMatch(/What condition is the Voltline USB-C 65W Charger in\?/);
    service = await restartTestService(service);
    const resumed = new ChatClient(service.url);
    resumed.token = client.token;
    const reason = await resumed.say("it's still sealed");
    expect(textOf(reason)).toMatch(/Why are you returning it\?/);
    expect(textOf(reason)).not.toMatch(/code|order number|Which item/);
    const decided = await press(resumed, reason, 'return-reason:changed_mind');
    expect(textOf(decided)).toMatch(/Voltline USB-C 65W Charger can be returned until/);
    // Typed answers to the choice on screen stay in the flow even when they sound like another intent.
    const method = await resumed.say('refund');
    expect(textOf(method)).toMatch(/How would you like to send it back\?/);
    const confirm = await resumed.say('drop off');
    expect(textOf(confirm)).toMatch(/refund of \$49\.00, dropped off at a UPS Store\. Confirm return\?/);
    expect(textOf(await resumed.say('no'))).toMatch(/nothing was booked/);
    expect(await returnsOf(ADA.returnableOrder)).toHaveLength(1);
  });

  test('"where is my refund?" answers from the return status, and says so when there is no return', async () => {
    const { client, reply } = await verifiedChat(`where is my refund for order ${ADA.returnableOrder}?`, ADA.email);
    expect(textOf(reply)).toMatch(/we're waiting for the parcel/);
    expect(textOf(reply)).toMatch(/refund of \$179\.00 within 3 business days/);
    const [row] = await returnsOf(ADA.returnableOrder);
    await new ReturnRepository(service.database.db).setStatus(row!.rma, 'refunded', new Date('2025-03-04T12:00:00Z'));
    const refunded = await client.say('where is my refund?');
    expect(textOf(refunded)).toMatch(/we refunded \$179\.00 to your original payment method on March 4, 2025/);
    expect(textOf(refunded)).toMatch(/PayPal: 1–2 business days/);

    const { reply: none } = await verifiedChatByEmail('where is my refund?', GRACE.email);
    expect(textOf(none)).toMatch(/I don't see any returns on your account/);
    expect(options(none).map((o) => o.value)).toContain('intent:return_request');
  });

  async function verifiedChatByEmail(first: string, email: string): Promise<{ client: ChatClient; reply: SendResult }> {
    const client = await new ChatClient(service.url).start();
    expect(textOf(await client.say(first))).toMatch(/order number/);
    expect(textOf(await client.say(`my email is ${email}`))).toMatch(/6-digit code/);
    return { client, reply: await client.say((await latestCode(service.url, email))!) };
  }
});

// A shop of its own: the shared one above has already booked Ada's Buds ANC for a refund.
describe('exchanges for another model over web chat', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('embedded');
  });
  afterAll(async () => {
    await service.dispose();
  });

  const returnsOf = (order: string) => service.database.db.selectFrom('returns').selectAll().where('order_number', '=', order).execute();
  async function verifiedChat(first: string, email: string): Promise<{ client: ChatClient; reply: SendResult }> {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say(first);
    expect(textOf(ask)).toMatch(/6-digit code/);
    return { client, reply: await client.say((await latestCode(service.url, email))!) };
  }

  test('Ada swaps her Buds ANC for the dearer Over-Ear 700: the exchange names it, charges the difference and records both products', async () => {
    const { client, reply } = await verifiedChat(`can I swap the buds anc from ${ADA.returnableOrder} for the over-ear 700 instead?`, ADA.email);
    expect(textOf(reply)).toMatch(/What condition is the Voltline Buds ANC in\?/);
    let step = await client.say('unopened, I changed my mind');
    // The exchange was asked for with the product: refund or exchange is not asked again.
    expect(textOf(step)).toMatch(/How would you like to send it back\?/);
    step = await client.say('drop off');
    expect(textOf(step)).toMatch(/for the Voltline Over-Ear 700 \(you pay the \$170\.00 difference\)/);
    const done = await client.say('yes');
    expect(textOf(done)).toMatch(/ship the Voltline Over-Ear 700 .* charge the \$170\.00 difference/);
    const [row] = await returnsOf(ADA.returnableOrder);
    expect(row).toMatchObject({ resolution: 'exchange', exchange_sku: 'VL-OE-700', exchange_difference_cents: 17_000, refund_cents: 0 });
  });

  test('an exchange for another kind of product is explained and refund or exchange asked again', async () => {
    // The Buds ANC were exchanged above; the charger is the order's other line.
    const { client, reply } = await verifiedChat(`I want to return the charger from order ${ADA.returnableOrder}`, ADA.email);
    let step = await press(client, reply, 'return-condition:unopened');
    step = await press(client, step, 'return-reason:changed_mind');
    expect(textOf(step)).toMatch(/refund or an exchange\?/);
    step = await client.say('exchange it for the thermostat please');
    expect(textOf(step)).toMatch(/An exchange is for another model or colour of the same kind of product/);
    expect(textOf(step)).toMatch(/refund or an exchange\?/);
    expect(await returnsOf(ADA.returnableOrder)).toHaveLength(1);
  });
});

/** The way people write (issue #10): what a product does is not the product. */
describe('returns read the item from its name, not from what it does (embedded)', () => {
  const harness = sharedHarness();

  test.each(['webchat', 'text'] as const)('"the buds … doesn\'t charge" returns the Buds, not the USB-C charger in the same order (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    await c.send(`the buds from ${ADA.returnableOrder} are faulty, left one doesn't charge. I want to return them`).expectReply(/6-digit code/);
    const verified = await c.typeCode(ADA.email).expectReply(/Buds ANC/);
    expect(verified.text).not.toMatch(/Charger/i);
    const confirm = await c.choose(/Refund/).expectReply(/How would you like to send it back/);
    expect(confirm.text).not.toMatch(/Charger/i);
  });
});
