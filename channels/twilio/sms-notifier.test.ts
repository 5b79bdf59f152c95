import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError } from '../../core/channel.js';
import type { Notification } from '../../core/notifier.js';
import { TWILIO_ERRORS, TwilioApiStandIn } from '../../test/twilio-api.js';
import { createTwilioRestClient } from './rest-client.js';
import { TwilioSmsNotifier } from './sms-notifier.js';

const code = (to: string): Notification => ({ transport: 'sms', to, subject: 'Your Voltline code', body: 'Your Voltline code is 482913.' });
let next = 1000;
const number = () => `+1415555${String((next += 1)).padStart(4, '0')}`;

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('SMS through the official Twilio client (against a loopback stand-in of the Messages API)', () => {
  let twilioApi: TwilioApiStandIn;
  let fromNumber: TwilioSmsNotifier;
  beforeAll(async () => {
    twilioApi = await new TwilioApiStandIn().start();
    const client = createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, apiOrigin: twilioApi.origin });
    fromNumber = new TwilioSmsNotifier(client, { kind: 'number', from: '+14155550100' });
  });
  afterAll(async () => {
    await twilioApi?.stop();
  });

  test('the customer gets the SMS from the configured number, authenticated as the account, and the receipt is its Message SID', async () => {
    const to = number();
    const receipt = await fromNumber.send(code(to));
    const [message] = twilioApi.to(to);
    expect(message?.form).toEqual({ To: to, From: '+14155550100', Body: 'Your Voltline code is 482913.' });
    expect(message?.accountSid).toBe(twilioApi.accountSid);
    expect(receipt).toEqual({ via: 'twilio', providerMessageId: message?.sid });
    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilioApi.unauthorized).toBe(0);
  });

  test('with a Messaging Service the SMS names the service, not a number', async () => {
    const service = `MG${'c'.repeat(32)}`;
    const client = createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, apiOrigin: twilioApi.origin });
    const to = number();
    await new TwilioSmsNotifier(client, { kind: 'messaging_service', sid: service }).send(code(to));
    expect(twilioApi.to(to).map((m) => m.form)).toEqual([{ To: to, MessagingServiceSid: service, Body: 'Your Voltline code is 482913.' }]);
  });

  test.each([
    ['an invalid number (21211)', TWILIO_ERRORS.invalidTo, '21211'],
    ['a recipient who replied STOP (21610)', TWILIO_ERRORS.unsubscribed, '21610'],
  ])('%s is rejected for good, with Twilio\'s error code, and nothing is sent', async (_name, error, providerCode) => {
    const to = number();
    twilioApi.refuse(to, error);
    expect((await failureOf(fromNumber.send(code(to)))).failure).toEqual({ kind: 'rejected', providerCode });
    expect(twilioApi.to(to)).toEqual([]);
  });

  test('Twilio answering 503 is unavailable, to be retried', async () => {
    const to = number();
    twilioApi.failNext(1);
    expect((await failureOf(fromNumber.send(code(to)))).failure).toEqual({ kind: 'unavailable' });
    expect(twilioApi.to(to)).toEqual([]);
  });

  test('a wrong auth token is refused by Twilio (20003) and rejected for good', async () => {
    const client = createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: 'not-the-token-0123456789abcdef', apiOrigin: twilioApi.origin });
    const before = twilioApi.unauthorized;
    expect((await failureOf(new TwilioSmsNotifier(client, { kind: 'number', from: '+14155550100' }).send(code(number())))).failure).toEqual({ kind: 'rejected', providerCode: '20003' });
    expect(twilioApi.unauthorized).toBe(before + 1);
  });

  test('an API that is not listening is unavailable, to be retried', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const client = createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, apiOrigin: `http://127.0.0.1:${port}` });
    expect((await failureOf(new TwilioSmsNotifier(client, { kind: 'number', from: '+14155550100' }).send(code(number())))).failure).toEqual({ kind: 'unavailable' });
  });
});
