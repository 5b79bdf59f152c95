import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../../db/shop/demo.js';
import { latestCode } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';
import { numberedOptions, TestChannelCustomer, TestChannelProvider, type TestChannelTurn } from '../../test/test-channel-provider.js';

const ADA = DEMO_FIXTURES;

/** How the customer answers a list on a phone without buttons: its number ("2") or its label ("solid red"). */
type Answer = 'number' | 'label';

/**
 * Every button-driven step of order status, returns and troubleshooting, completed on a channel
 * that renders no buttons: each choice reaches the customer as "1. …" lines, and the customer
 * types the number or the label back.
 */
describe.each(DEPLOYMENTS)('choices on a text-only channel (%s)', (deployment) => {
  let provider: TestChannelProvider;
  let service: TestService;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService(deployment, provider.env());
  });
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  const customer = () => new TestChannelCustomer(service, provider);

  /** Types the option matching `wanted` from the last numbered list, by number or by label. */
  async function choose(who: TestChannelCustomer, turn: TestChannelTurn, wanted: RegExp, answer: Answer, step: string): Promise<TestChannelTurn> {
    const options = numberedOptions(turn);
    const index = options.findIndex((o) => wanted.test(o));
    expect(index, `${step}: an option like ${wanted} in the numbered list of:\n${turn.text}`).toBeGreaterThanOrEqual(0);
    return who.say(answer === 'number' ? String(index + 1) : options[index]!.toLowerCase());
  }

  async function verifyByEmail(who: TestChannelCustomer, turn: TestChannelTurn, email: string): Promise<TestChannelTurn> {
    expect(turn.text, 'asks who the customer is').toMatch(/order number|email/i);
    const sent = await who.say(email);
    expect(sent.text).toMatch(/6-digit code/);
    return who.say((await latestCode(service.url, email))!);
  }

  test.each<[Answer]>([['number'], ['label']])('order status: picking one of several orders by %s', async (answer) => {
    const ada = customer();
    const list = await verifyByEmail(ada, await ada.say('I want to track my order'), ADA.email);
    expect(list.text, 'the orders arrive as a numbered list, not buttons').toMatch(/^1\. 1002\d\d/m);
    const picked = await choose(ada, list, /^100235 /, answer, 'which order');
    expect(picked.text, 'the picked order’s status').toMatch(/Order 100235: Delivered/);
  });

  test.each<[Answer, RegExp, string]>([
    ['number', /Buds ANC/, `I want to return my Voltline Buds ANC from order ${ADA.returnableOrder}`],
    ['label', /Charger/, `return an item from order ${ADA.returnableOrder}`],
  ])('returns: every step of a return by %s', async (answer, item, opening) => {
    const ada = customer();
    let turn = await ada.say(opening);
    expect(turn.text).toMatch(/6-digit code/);
    turn = await ada.say((await latestCode(service.url, ADA.email))!);
    if (/Which item/.test(turn.text)) turn = await choose(ada, turn, item, answer, 'which item');
    expect(turn.text, 'asks the condition').toMatch(/What condition is the .* in\?/);
    turn = await choose(ada, turn, /^Opened, works fine$/, answer, 'condition');
    expect(turn.text, 'asks why').toMatch(/Why are you returning it\?/);
    turn = await choose(ada, turn, /^Not what I expected$/, answer, 'reason');
    expect(turn.text, 'eligible, asks refund or exchange').toMatch(/can be returned until/);
    turn = await choose(ada, turn, /^Exchange for the same product$/, answer, 'resolution');
    expect(turn.text, 'asks how to send it back').toMatch(/How would you like to send it back\?/);
    turn = await choose(ada, turn, /^Drop off at a UPS Store$/, answer, 'method');
    expect(turn.text, 'asks to confirm').toMatch(/for an exchange .*UPS Store\. Confirm return\?/s);
    const done = await choose(ada, turn, /^Yes, confirm$/, answer, 'confirm');
    const rma = /RMA-[0-9A-Z]{8}/.exec(done.text)?.[0];
    expect(rma, `an RMA in: ${done.text}`).toBeDefined();
    const rows = await service.database.db.selectFrom('returns').selectAll().where('rma', '=', rma!).execute();
    expect(rows).toMatchObject([{ customer_id: ADA.customerId, method: 'drop_off', resolution: 'exchange' }]);
  });

  test.each<[Answer]>([['number'], ['label']])('troubleshooting: verify, walk the tree and finish by %s', async (answer) => {
    const ada = customer();
    // The first step comes at once, with the offer to check the device as a line to answer by typing.
    const first = await ada.say('my camera is offline');
    expect(first.text).toMatch(/email address on your account[\s\S]*What is the light on the camera doing\?/);
    const verified = await verifyByEmail(ada, first, ADA.email);
    expect(verified.text, 'the dashboard, then the first question').toMatch(/has been offline since[\s\S]*What is the light on the camera doing\?/);
    const internet = await choose(ada, verified, /^Solid red$/, answer, 'camera light');
    expect(internet.text, 'the internet step').toMatch(/reaches Wi-Fi but not the internet[\s\S]*Did that fix it\?/);
    const restart = await choose(ada, internet, /^No$/, answer, 'did the internet step fix it');
    expect(restart.text, 'the restart step').toMatch(/Unplug the camera[\s\S]*Did that fix it\?/);
    const fixed = await choose(ada, restart, /^Yes$/, answer, 'did the restart fix it');
    expect(fixed.text).toMatch(/glad it's working again/i);
  });

  test('troubleshooting without verification: the offer left aside and the tree walked by label, ending with the handoff', async () => {
    const ada = customer();
    const question = await ada.say('my camera is offline');
    expect(question.text).toMatch(/What is the light on the camera doing\?/);
    const step = await choose(ada, question, /^Solid blue$/, 'label', 'camera light');
    expect(step.text).toMatch(/Close the Voltline Home app/);
    const handoff = await choose(ada, step, /^No$/, 'number', 'did reopening the app fix it');
    expect(handoff.text).toMatch(/smart-home team/);
  });
});
