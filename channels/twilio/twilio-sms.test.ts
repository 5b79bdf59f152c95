import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../../db/shop/demo.js';
import { latestCode } from '../../test/chat-client.js';
import { DEPLOYMENTS, type TestService } from '../../test/service.js';
import type { TwilioApiStandIn } from '../../test/twilio-api.js';
import { inboundForm, messageSid, postTwilio, startTwilioTestService, type TwilioTarget, type TwilioWebhookAnswer } from '../../test/twilio-webhook.js';

const ADA = DEMO_FIXTURES;
let next = 4000;
const customer = () => `+1415555${String((next += 1)).padStart(4, '0')}`;

/**
 * Customers texting the shop's Twilio number, answered in the webhook's own response (TwiML)
 * when the reply is ready within the budget. The budget is generous here (10 s) so a loaded
 * test machine still answers within it; TWILIO_REPLY_BUDGET_MS=0 is twilio-rest.test.ts.
 */
describe.each(DEPLOYMENTS)('SMS through Twilio, answered as TwiML (%s)', (deployment) => {
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  let target: TwilioTarget;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ twilioApi, service, target, dispose } = await startTwilioTestService(deployment, { TWILIO_REPLY_BUDGET_MS: '10000' }));
  });
  afterAll(async () => {
    await dispose?.();
  });

  const text = (from: string) => async (body: string): Promise<TwilioWebhookAnswer> => {
    const answer = await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from, body }));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/xml/);
    return answer;
  };
  const said = (answer: TwilioWebhookAnswer) => answer.messages.join('\n');

  test('order status end to end over signed webhooks: every answer arrives as TwiML, none by REST', async () => {
    const from = customer();
    const say = text(from);
    const asked = await say('I want to track my order');
    expect(said(asked), 'asks who the customer is').toMatch(/order number|email/i);
    const sent = await say(ADA.email);
    expect(said(sent)).toMatch(/6-digit code/);
    const list = await say((await latestCode(service.url, ADA.email))!);
    expect(said(list), 'the orders as a numbered list').toMatch(/^\d\. 1002\d\d/m);
    const option = said(list).split('\n').find((line) => /^\d\. 100235 /.test(line))!;
    const status = await say(option.split('.')[0]!);
    expect(said(status)).toMatch(/Order 100235: Delivered/);
    for (const answer of [asked, sent, list, status]) {
      for (const part of answer.messages) expect(part.length).toBeLessThanOrEqual(160 * 6);
    }
    expect(twilioApi.calls.filter((c) => c.form.To === from), 'no REST send: the replies were in the webhook responses').toEqual([]);
    const rows = await service.database.executeSql(`select status, provider_message_id from outbound_messages where identity = $1`, [from]);
    expect(rows.rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows.rows as Array<{ status: string; provider_message_id: string }>) {
      expect(row.status).toBe('sent');
      expect(row.provider_message_id).toMatch(/^twiml:SM[0-9a-f]{32}:\d+$/);
    }
  });

  test('the same MessageSid posted 5 times at once and once to the fallback URL: one stored message, one reply', async () => {
    const from = customer();
    const sid = messageSid();
    const form = inboundForm(twilioApi.accountSid, { from, body: 'where is my order', sid });
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => postTwilio(target, '/channels/twilio', form)));
    const fallback = await postTwilio(target, '/channels/twilio/fallback', form);
    const answers = [...concurrent, fallback];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const stored = await service.database.executeSql(`select count(*)::int as n from conversation_events where provider_message_id = $1 and type = 'user_said'`, [sid]);
    expect(stored.rows[0]).toEqual({ n: 1 });
    const rows = await service.database.executeSql(`select count(*)::int as n from outbound_messages where identity = $1`, [from]);
    const replied = answers.filter((a) => a.messages.length > 0);
    expect(replied, 'exactly one response carries the reply').toHaveLength(1);
    expect(twilioApi.calls.filter((c) => c.form.To === from), 'and nothing else sent it').toEqual([]);
    expect((rows.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  test('HELP is answered with the help text at once, and goes to no bot turn', async () => {
    const from = customer();
    const answer = await text(from)('help');
    expect(answer.messages).toEqual([expect.stringMatching(/^Voltline support: .*\/help\. Reply STOP to unsubscribe/)]);
    const events = await service.database.executeSql(`select count(*)::int as n from outbound_messages where identity = $1`, [from]);
    expect(events.rows[0]).toEqual({ n: 0 });
  });

  test('a long answer arrives as several <Message> parts, each within one concatenated-SMS part', async () => {
    const from = customer();
    const answer = await text(from)('what is your return policy');
    expect(answer.messages.length).toBeGreaterThan(0);
    for (const part of answer.messages) expect(part.length).toBeLessThanOrEqual(answer.messages.length === 1 ? 160 : 153);
  });
});
