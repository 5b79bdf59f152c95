import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NoTransportError, type Notification } from '../../core/notifier.js';
import { SmtpSink } from '../../test/smtp-sink.js';
import { TwilioApiStandIn } from '../../test/twilio-api.js';
import { SmtpNotifier } from '../email/smtp-notifier.js';
import { createTwilioRestClient } from '../twilio/rest-client.js';
import { TwilioSmsNotifier } from '../twilio/sms-notifier.js';
import { NotificationRouter } from './notification-router.js';

describe('notifications go through the transport configured for them', () => {
  let sink: SmtpSink;
  let twilioApi: TwilioApiStandIn;
  let smtp: SmtpNotifier;
  let sms: TwilioSmsNotifier;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    twilioApi = await new TwilioApiStandIn().start();
    smtp = new SmtpNotifier({ url: sink.url(), from: 'support@voltline.example', timeoutMs: 5000 });
    sms = new TwilioSmsNotifier(createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, apiOrigin: twilioApi.origin }), { kind: 'number', from: '+14155550100' });
  });
  afterAll(async () => {
    smtp?.close();
    await sink?.stop();
    await twilioApi?.stop();
  });

  const email = (to: string): Notification => ({ transport: 'email', to, subject: 'Code', body: 'Your code is 100200.' });
  const text = (to: string): Notification => ({ transport: 'sms', to, subject: 'Code', body: 'Your code is 100200.' });

  test('an email goes by SMTP and an SMS by Twilio, each only there', async () => {
    const router = new NotificationRouter({ email: smtp, sms, fallback: null });
    const to = `ada+${randomUUID().slice(0, 8)}@example.com`;
    expect(await router.send(email(to))).toMatchObject({ via: 'smtp' });
    expect(await router.send(text('+14155550177'))).toMatchObject({ via: 'twilio' });
    expect(sink.to(to)).toHaveLength(1);
    expect(twilioApi.to('+14155550177')).toHaveLength(1);
    expect(twilioApi.messages.some((m) => m.form.To === to)).toBe(false);
  });

  test('a transport with nothing configured and no fallback (production) refuses, and nothing is sent elsewhere', async () => {
    const router = new NotificationRouter({ email: smtp, sms: null, fallback: null });
    const before = sink.received.length;
    await expect(router.send(text('+14155550178'))).rejects.toBeInstanceOf(NoTransportError);
    expect(router.delivers('sms')).toBe(false);
    expect(sink.received).toHaveLength(before);
    expect(twilioApi.to('+14155550178')).toEqual([]);
  });

  test('outside production a transport that is not configured falls back (to the development outbox there)', async () => {
    // The fallback stands in for the development outbox: a real SMTP notifier here, so the email can be seen arriving.
    const router = new NotificationRouter({ email: null, sms, fallback: smtp });
    const to = `grace+${randomUUID().slice(0, 8)}@example.com`;
    expect(await router.send(email(to))).toMatchObject({ via: 'smtp' });
    expect(router.delivers('email')).toBe(false);
    expect(sink.to(to)).toHaveLength(1);
  });
});
