import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, openWidgetSocket, outboxCount, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';
const GRACE_EMAIL = 'grace@example.com';

describe.each(DEPLOYMENTS)('order status over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const chat = () => new ChatClient(service.url).start();

  test('asks for the order number, re-asks on a malformed one, verifies, then answers with carrier, tracking and ETA', async () => {
    const client = await chat();
    const ask = await client.say('where is my order?');
    expect(textOf(ask)).toMatch(/order number/i);

    const malformed = await client.say('1234');
    expect(textOf(malformed)).toMatch(/doesn't look like one of our order numbers/i);

    const claim = await client.say('100234');
    expect(textOf(claim)).toMatch(/6-digit code/);
    expect(textOf(claim)).not.toMatch(/shipped|UPS|track/i);

    const code = await latestCode(service.url, ADA_EMAIL);
    expect(code).toMatch(/^\d{6}$/);
    const answer = await client.say(code!);
    const text = textOf(answer);
    expect(text).toMatch(/Order 100234: Shipped/);
    expect(text).toMatch(/UPS/);
    expect(text).toMatch(/Estimated delivery/);
    expect(text).toMatch(/https:\/\/\S*ups\.com\S*/);
  });

  test('reveals nothing about an order before verification, and answers the same for an unknown order as for someone else\'s', async () => {
    const before = await outboxCount(service.url);
    const someoneElses = await (await chat()).say('has 100234 shipped yet');
    const unknown = await (await chat()).say('has 199999 shipped yet');
    const normalise = (s: string) => s.replace(/\d{6}/g, 'N');
    expect(normalise(textOf(someoneElses))).toBe(normalise(textOf(unknown)));
    // A code went to the owner of 100234 only.
    expect(await outboxCount(service.url)).toBe(before + 1);
  });

  // Grace's order: the lockout holds for her (the customer) too, so it must not be Ada, whom the later tests verify.
  test('throttles wrong codes: after the allowed attempts even the right code is refused', async () => {
    const client = await chat();
    await client.say('status of order 100301 please');
    const code = (await latestCode(service.url, GRACE_EMAIL))!;
    const wrong = code === '000000' ? '111111' : '000000';
    let last = '';
    for (let i = 0; i < 5; i += 1) last = textOf(await client.say(wrong));
    expect(last).toMatch(/verification is paused for 15 minutes/);
    const after = await client.say('where is my order 100301');
    expect(textOf(after)).toMatch(/paused/);
    expect(textOf(after)).not.toMatch(/Delivered/);
  });

  test('a customer with several orders verifies by email and picks one from a list', async () => {
    const client = await chat();
    await client.say('I want to track my order');
    const claim = await client.say(`my email is ${ADA_EMAIL}`);
    expect(textOf(claim)).toMatch(/6-digit code/);
    const list = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const choice = list.messages.find((m) => m.message.kind === 'choice');
    expect(choice?.message.kind).toBe('choice');
    const options = choice!.message.kind === 'choice' ? choice!.message.options : [];
    expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['order:100234', 'order:100235', 'order:100236']));
    const picked = options.find((o) => o.value === 'order:100235')!;
    const answer = await client.say(picked.label, { payload: picked.value });
    expect(textOf(answer)).toMatch(/Order 100235: Delivered/);
  });

  test("a verified customer asking about another customer's order learns nothing about it", async () => {
    const client = await chat();
    await client.say('where is 100234');
    await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const other = await client.say('and what about order 100300?');
    expect(textOf(other)).toMatch(/couldn't find order 100300 on your account/);
    expect(textOf(other)).not.toMatch(/Out for delivery/);
  });

  test('a retried message with the same id is answered once', async () => {
    const client = await chat();
    const first = await client.say('where is my order?', { id: 'retry-me-0001' });
    const retry = await client.say('where is my order?', { id: 'retry-me-0001' });
    expect(first.messages.length).toBeGreaterThan(0);
    expect(retry).toMatchObject({ duplicate: true, messages: [] });
    const history = await client.history();
    expect(history.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
  });

  test('two orders in one message are both answered after one code; someone else\'s is refused like a missing one', async () => {
    const client = await chat();
    await client.say('can you check 100234 and 100235 and 100300 for me');
    const answer = textOf(await client.say((await latestCode(service.url, ADA_EMAIL))!));
    expect(answer).toMatch(/Order 100234: Shipped/);
    expect(answer).toMatch(/Order 100235: Delivered/);
    // Grace's order: the same words as for an order that doesn't exist, nothing about it shown.
    expect(answer).toMatch(/couldn't find order 100300 on your account/);
    expect(answer).not.toMatch(/Order 100300/);
  });

  test('replies are pushed to the open WebSocket as well', async () => {
    const client = await chat();
    const { pushed, close } = await openWidgetSocket(service.url, client.token);
    const sent = await client.say('hello');
    await expect.poll(() => pushed.filter((p) => p.type === 'message').length).toBe(sent.messages.length);
    expect(pushed.filter((p) => p.type === 'message').map((p) => p.seq)).toEqual(sent.messages.map((m) => m.seq));
    close();
  });

  test('a socket with a forged token is refused', async () => {
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/webchat/socket?token=v1.AAAAAAAAAAAAAAAAAAAAAA.forged`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(undefined));
    });
    expect(status).toBe(401);
  });

  test('the conversation survives a server restart: transcript kept, the pending code still works', async () => {
    const client = await chat();
    await client.say('has 100236 shipped');
    const code = (await latestCode(service.url, ADA_EMAIL))!;
    const before = await client.history();
    service = await restartTestService(service);
    const resumed = new ChatClient(service.url);
    resumed.token = client.token;
    const after = await resumed.history();
    expect(after.messages).toEqual(before.messages);
    const answer = await resumed.say(code);
    expect(textOf(answer)).toMatch(/Order 100236: Placed/);
  });
});
