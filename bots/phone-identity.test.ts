import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { TestChannelCustomer, TestChannelProvider } from '../test/test-channel-provider.js';
import { senderPhone } from './phone-identity.js';

const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;
/** A household landline: on Grace's profile, and listed (shared) on Ada's. */
const LANDLINE = '+14155550177';

test.each([
  ['sms', '+14155550101', '+14155550101'],
  ['whatsapp', 'whatsapp:+14155550101', '+14155550101'],
  ['whatsapp', '14155550101', '+14155550101'],
  ['test', '+14155550101', '+14155550101'],
  // Web chat visitor ids are never phone numbers, whatever they look like.
  ['webchat', '+14155550101', null],
  ['sms', '4155550101', null],
  ['test', 'tc-user-1', null],
  ['sms', '+1415555', null],
] as const)('a %s sender %s writes from %s', (channel, senderId, phone) => {
  expect(senderPhone(channel, senderId)).toBe(phone);
});

describe.each(DEPLOYMENTS)('who is writing: the number on file (%s)', (deployment) => {
  let provider: TestChannelProvider;
  let service: TestService;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    service = await startTestService(deployment, provider.env());
    const db = service.database.db;
    await db.updateTable('customers').set({ phone: LANDLINE }).where('id', '=', GRACE.customerId).execute();
    await db.insertInto('customer_contacts').values({ customer_id: ADA.customerId, kind: 'phone', value: LANDLINE, shared: true }).execute();
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await provider?.stop();
  });

  const db = () => service.database.db;
  const eventTypes = async (conversationId: string) =>
    (await db().selectFrom('conversation_events').select('type').where('conversation_id', '=', conversationId).orderBy('seq').execute()).map((e) => e.type);
  const textsTo = (phone: string) => db().selectFrom('outbox_messages').selectAll().where('recipient', '=', phone).orderBy('id').execute();
  const orderStatus = async (number: string) => (await db().selectFrom('orders').select('status').where('number', '=', number).executeTakeFirstOrThrow()).status;

  test('Ada texts from the number on her profile and reads her order status without being asked for a code', async () => {
    const ada = new TestChannelCustomer(service, provider, ADA.phone);
    const turn = await ada.say("hi, where's my order 100234?");
    expect(turn.text).toMatch(/UPS/);
    expect(turn.text).not.toMatch(/code|order number/i);
    expect(await eventTypes(turn.conversationId)).toContain('customer_matched');
    expect(await textsTo(ADA.phone)).toEqual([]);
  });

  test('reading is all a matched number allows: cancelling needs the one-time code, and nothing changes before it', async () => {
    const ada = new TestChannelCustomer(service, provider, ADA.phone);
    const asked = await ada.say('I want to cancel my order');
    expect(asked.text).toMatch(/recognised your number.*6-digit code/s);
    expect(asked.text).not.toMatch(/which order/i);
    expect(await orderStatus(ADA.cancellableOrder)).toBe('placed');
    // A guess is not the code.
    const guess = await ada.say('000000');
    expect(guess.text).not.toMatch(/which order/i);

    const [sms] = await textsTo(ADA.phone);
    const code = /\b(\d{6})\b/.exec(sms?.body ?? '')?.[1];
    expect(code).toBeDefined();
    const verified = await ada.say(code!);
    expect(verified.text).toMatch(/which order would you like to cancel/i);
    expect(await orderStatus(ADA.cancellableOrder)).toBe('placed');
    expect(await eventTypes(verified.conversationId)).toContain('customer_verified');
  });

  test('a household number shared by two profiles selects nobody: the bot asks for the order number and shows nothing', async () => {
    const someone = new TestChannelCustomer(service, provider, LANDLINE);
    const turn = await someone.say('where is my order?');
    expect(turn.text).toMatch(/What's the order number\?/);
    // (The question's example number, 100234, is no order of theirs.)
    expect(turn.text).not.toMatch(/UPS|USPS|100300|out for delivery|shipped/i);
    expect(await eventTypes(turn.conversationId)).not.toContain('customer_matched');

    // Naming an order still goes through the code, as for anyone.
    const named = await someone.say(GRACE.outForDeliveryOrder);
    expect(named.text).toMatch(/6-digit code/);
    expect(named.text).not.toMatch(/USPS|out for delivery/i);
  });

  test('"text me updates" records the consent for the matched customer, with its source; "stop updates" withdraws it', async () => {
    const ada = new TestChannelCustomer(service, provider, ADA.phone);
    const granted = await ada.say('please text me updates about my orders');
    expect(granted.text).toMatch(/I'll send you order updates .* by text message/);
    const stopped = await ada.say('stop updates');
    expect(stopped.text).toMatch(/no more order updates by text message/);
    const rows = await db().selectFrom('customer_consents').select(['channel', 'granted', 'source', 'conversation_id']).where('customer_id', '=', ADA.customerId).orderBy('id').execute();
    expect(rows).toEqual([
      { channel: 'sms', granted: true, source: 'conversation', conversation_id: granted.conversationId },
      { channel: 'sms', granted: false, source: 'conversation', conversation_id: granted.conversationId },
    ]);

    // Someone the bot does not know cannot consent for anyone.
    const stranger = new TestChannelCustomer(service, provider, LANDLINE);
    const refused = await stranger.say('text me updates');
    expect(refused.text).toMatch(/once I know which account is yours/);
    expect(await db().selectFrom('customer_consents').select('id').where('customer_id', '=', GRACE.customerId).execute()).toEqual([]);
  });
});
