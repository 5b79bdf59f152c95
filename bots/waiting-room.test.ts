import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadHandoffPolicy } from '../handoff/policy.js';
import { sharedHarness } from '../test/conversation.js';
import { foldEvents } from './state.js';
import { WaitingRoom } from './waiting-room.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The shipped policy with the default team open one day a week, three days from now: closed whenever the test runs. */
async function closedPolicyFile(dir: string): Promise<string> {
  const shipped = await readFile(path.join(import.meta.dirname, '../handoff/policy.yaml'), 'utf8');
  const day = WEEKDAYS[(new Date().getUTCDay() + 3) % 7]!;
  const closed = shipped.replace(/^ {2}hours: always$/m, `  hours:\n    timeZone: UTC\n    days:\n      ${day}: '09:00-17:00'`);
  expect(closed).not.toBe(shipped);
  const file = path.join(dir, 'policy.yaml');
  await writeFile(file, closed);
  return file;
}

describe('waiting for a person, in the team hours (embedded)', () => {
  const harness = sharedHarness();

  test.each(['webchat', 'text'] as const)('the customer hears their place in the queue and the answer target (%s)', async (channel) => {
    const c = await harness().conversation({ channel });
    await c.send('talk to a person').expectReply(/connecting you/i);
    const events = await c.events();
    const last = events.filter((e) => e.type === 'said').at(-1);
    expect(last?.type === 'said' && last.message.kind === 'text' ? last.message.text : '').toMatch(/(next|number \d+) in the queue .* within 2 minutes/);
    await c.expectStatus('queued');
  });

  test('a second customer waits behind the first', async () => {
    const first = await harness().conversation();
    await first.send('agent please').expectReply(/in the queue/);
    const second = await harness().conversation();
    const reply = await second.send('agent please').expectReply(/in the queue/);
    const position = (place: string) => Number(/number (\d+) in the queue/.exec(place)?.[1] ?? 1);
    const firstPlace = (await first.events()).flatMap((e) => (e.type === 'said' && e.message.kind === 'text' ? [e.message.text] : [])).find((t) => /in the queue/.test(t))!;
    expect(position(reply.text)).toBeGreaterThan(position(firstPlace));
  });

  test('what the customer writes while queued is stored for the agent, and the bot stays silent', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/in the queue/);
    const quiet = await c.send('my order is 100234 and the box was damaged');
    expect(quiet.replies).toEqual([]);
    const events = await c.events();
    expect(events.some((e) => e.type === 'user_said' && e.text.includes('box was damaged'))).toBe(true);
    expect(events.filter((e) => e.type === 'said').at(-1)).toMatchObject({ message: { text: expect.stringMatching(/in the queue/) } });
  });

  test.each(['cancel', 'never mind', 'start over'])('"%s" while queued leaves the queue and the bot answers again', async (text) => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/in the queue/);
    await c.send(text).expectReply(/out of the queue.*back with the virtual assistant/i);
    await c.expectStatus('bot');
    await c.send('where is my order').expectReply(/order number|email/i);
  });

  test.each(['talk to a human', 'agent', 'human please'])('"%s" while queued hears they are already in line, where, and how long, with no second handoff', async (text) => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/in the queue/);
    const reply = await c.send(text).expectReply(/already in the queue for our support team/);
    expect(reply.text).toMatch(/(you're next|you're number \d+), and we aim to answer within 2 minutes/);
    expect(reply.text).toMatch(/keep writing here.*say "cancel" to leave the queue/);
    expect(reply.text).not.toMatch(/connecting you/i);
    await c.expectStatus('queued');
    const events = await c.events();
    expect(events.filter((e) => e.type === 'triaged')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'status_changed' && e.to === 'queued')).toHaveLength(1);
    // Still there for the agent to read.
    expect(events.filter((e) => e.type === 'user_said').at(-1)).toMatchObject({ text });
  });

  test.each(['menu', 'help', 'go back'])('"%s" while queued says they are waiting for a person and what they can type meanwhile', async (text) => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/in the queue/);
    const reply = await c.send(text).expectReply(/waiting for a person from our support team/);
    expect(reply.text).toMatch(/keep writing here.*say "cancel" to leave the queue and go back to the assistant/);
    expect(reply.text).not.toMatch(/What would you like to do|connecting you/i);
    await c.expectStatus('queued');
    // And "cancel", as told, does leave the queue.
    await c.send('cancel').expectReply(/out of the queue/);
    await c.expectStatus('bot');
  });

  test('a device that may hurt someone goes to a person at once, urgently, with safety advice first', async () => {
    const c = await harness().conversation({ channel: 'text' });
    const reply = await c.send('my laptop battery is swelling and it smells like burning').expectReply(/stop using the device/i);
    expect(reply.text).toMatch(/connecting you/i);
    const triaged = (await c.events()).find((e) => e.type === 'triaged');
    expect(triaged).toMatchObject({ reason: 'human_only_intent', priority: 3, policyTeam: 'technical', category: 'device' });
  });

  test('a customer who is furious and not understood goes to a person with the reason frustration', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c.send('wtf is this, i hate this stupid thing!!!').expectReply(/frustrating.*support team/i);
    await c.expectHandedOff(/frustration/);
  });

  test('a furious hello gets a person, not a greeting back', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('HELLO??? ANSWER ME!!! ugh this is ridiculous').expectReply(/frustrating.*support team/i);
    await c.expectHandedOff(/frustration/);
  });

  test('a frustrated customer the bot can help keeps the answer and is told how to reach a person', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    const reply = await c.send('where is my order, this is taking FOREVER!!! so annoying, ridiculous').expectReply(/order number/i);
    expect(reply.text).toMatch(/say "agent"/);
    await c.expectStatus('bot');
  });

  test('two messages in a row the bot cannot read hand off as misunderstood, and say so', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('the thing with the stuff').expectNoReplyLike(/support team/);
    await c.send('hmm about that other matter from before').expectReply(/not getting this right.*support team/i);
    await c.expectHandedOff(/misunderstood_twice/);
  });

  test('gibberish twice is refused, never handed to a person', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('asdkjh qwpoeiru');
    await c.send('qwertyuiop asdfgh');
    await c.expectStatus('bot');
  });
});

describe('a callback asked for on SMS or WhatsApp', () => {
  test.each([
    ['sms', '+14155550101'],
    ['whatsapp', 'whatsapp:+14155550101'],
  ] as const)('uses the number the customer writes from (%s) without asking for it', async (channel, senderId) => {
    const room = new WaitingRoom(await loadHandoffPolicy(), () => Promise.resolve(1));
    const state = foldEvents([{ at: new Date().toISOString(), type: 'status_changed', from: 'bot', to: 'queued', reason: 'customer_asked' }]);
    const answer = await room.whileQueued({
      conversationId: 'c1',
      state,
      message: { channel, providerMessageId: 'm1', senderId, text: 'Call me back', payload: 'follow-up:callback', receivedAt: new Date() },
      entities: [],
      now: new Date(),
    });
    expect(answer?.events).toMatchObject([{ type: 'follow_up_requested', kind: 'callback', to: '+14155550101' }]);
    expect(answer?.replies[0]).toMatchObject({ text: expect.stringContaining('call you at +14155550101') });
  });
});

describe('waiting for a person outside the team hours (embedded)', () => {
  let dir: string | undefined;
  const harness = sharedHarness(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-waiting-'));
    return { env: { HANDOFF_POLICY_FILE: await closedPolicyFile(dir) } };
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test('the customer hears when the team is back and can ask for a callback, typed on a text-only channel', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/away right now and back on \w+day/);
    await c.choose(/Call me back/).expectReply(/Which phone number/);
    await c.send('call me on +1 415 555 0101 please').expectReply(/call you at \+1 ?415 ?555 ?0101/);
    const followUp = (await c.events()).find((e) => e.type === 'follow_up_requested' && e.to !== null);
    expect(followUp).toMatchObject({ kind: 'callback', to: expect.stringMatching(/^\+1 ?415 ?555 ?0101$/) });
    await c.expectStatus('queued');
  });

  test('an email follow-up asks for the address, re-asks when none is given, and records it', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c.send('i want to talk to a human').expectReply(/away right now/);
    await c.press('Email me').expectReply(/Which email address/);
    await c.send('uh my usual one').expectReply(/couldn't read an email address/);
    await c.send('it is ada.lovelace@example.com thanks').expectReply(/email you at ada\.lovelace@example\.com/);
    const requested = (await c.events()).filter((e) => e.type === 'follow_up_requested');
    expect(requested.at(-1)).toMatchObject({ kind: 'email', to: 'ada.lovelace@example.com' });
    // Once recorded, what they write is for the agent: the bot says nothing more.
    expect((await c.send('also the charger is missing')).replies).toEqual([]);
  });

  test('"agent" again while the team is away says so, offers a callback or email once, and never hands off twice', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send('talk to a person').expectReply(/away right now/);
    const again = await c.send('agent').expectReply(/already in the queue for our support team.*away right now and back on \w+day/);
    expect(again.text).toMatch(/call you back or follow up by email/);
    await c.choose(/Email me/).expectReply(/Which email address/);
    await c.send('ada.lovelace@example.com').expectReply(/email you at ada\.lovelace@example\.com/);
    const third = await c.send('real person please').expectReply(/already in the queue/);
    expect(third.text).not.toMatch(/1\. Call me back/);
    await c.expectStatus('queued');
    expect((await c.events()).filter((e) => e.type === 'triaged')).toHaveLength(1);
  });

  test('"I\'ll wait here" keeps the conversation in the queue', async () => {
    const c = await harness().conversation({ channel: 'webchat' });
    await c.send('agent').expectReply(/away right now/);
    await c.press("I'll wait here").expectReply(/stay in the queue/);
    await c.expectStatus('queued');
    expect((await c.events()).some((e) => e.type === 'follow_up_requested')).toBe(false);
  });
});
