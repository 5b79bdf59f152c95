import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, textOf } from '../test/chat-client.js';
import { startTestService, type TestService } from '../test/service.js';
import { SmtpSink } from '../test/smtp-sink.js';
import { TwilioApiStandIn } from '../test/twilio-api.js';
import { eventually } from '../jobs/test-fixtures/delivery.js';

describe('one-time codes reach customers by email over SMTP and by SMS through Twilio', () => {
  let sink: SmtpSink;
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    twilioApi = await new TwilioApiStandIn().start();
    service = await startTestService(
      'embedded',
      {
        SMTP_URL: sink.url(),
        MAIL_FROM: 'Voltline Support <support@voltline.example>',
        TWILIO_ACCOUNT_SID: twilioApi.accountSid,
        TWILIO_AUTH_TOKEN: twilioApi.authToken,
        TWILIO_FROM: '+14155550100',
      },
      { twilioApiOrigin: twilioApi.origin },
    );
    // The whole service on an embedded database: slow to start on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
    await sink?.stop();
    await twilioApi?.stop();
  });

  test('a customer asks for an order status, reads the code in the email the mail server received, and gets the status', async () => {
    const client = await new ChatClient(service.url).start();
    const claim = await client.say('has 100234 shipped yet?');
    expect(textOf(claim)).toMatch(/6-digit code/);
    expect(textOf(claim)).not.toMatch(/UPS|track/i);

    const [mail] = await sink.waitFor('ada@example.com');
    expect(mail?.parsed.from?.value).toEqual([{ address: 'support@voltline.example', name: 'Voltline Support' }]);
    expect(mail?.parsed.subject).toMatch(/code/i);
    const code = await sink.latestCode('ada@example.com');

    const answer = textOf(await client.say(code));
    expect(answer).toMatch(/Order 100234: Shipped/);
    expect(answer).toMatch(/UPS/);

    // Sent by SMTP, recorded on its outbound row; nothing went to the development outbox or to Twilio.
    const { conversationId } = await client.history();
    const rows = await eventually(
      () => service.database.db.selectFrom('outbound_notifications').selectAll().where('conversation_id', '=', conversationId ?? '').execute(),
      (found) => found.length === 1 && found[0]?.status === 'sent',
    );
    expect(rows).toMatchObject([{ transport: 'email', status: 'sent', via: 'smtp', recipient: 'a***@example.com', attempts: 1, provider_message_id: mail?.parsed.messageId }]);
    expect(await service.database.db.selectFrom('outbox_messages').selectAll().execute()).toEqual([]);
    expect(twilioApi.messages).toEqual([]);
  }, 60_000);

  test('a customer who gives the phone number on file gets the code by SMS from the Twilio number, and is verified by it', async () => {
    const emailsBefore = sink.to('ada@example.com').length;
    const client = await new ChatClient(service.url).start();
    await client.say('where is my order?');
    const claim = await client.say('my phone number is +1 415 555 0101');
    expect(textOf(claim)).toMatch(/code to the phone number on file/);
    const message = await eventually(async () => twilioApi.to('+14155550101'), (found) => found.length === 1);
    expect(message[0]?.form.From).toBe('+14155550100');
    const code = /\b(\d{6})\b/.exec(message[0]?.form.Body ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const answer = textOf(await client.say(code ?? ''));
    expect(answer).not.toMatch(/doesn't match|not right|wrong/i);
    expect(answer).toMatch(/100234/);
    const { conversationId } = await client.history();
    const rows = await service.database.db.selectFrom('outbound_notifications').selectAll().where('conversation_id', '=', conversationId ?? '').execute();
    expect(rows).toMatchObject([{ transport: 'sms', status: 'sent', via: 'twilio', recipient: '+1******0101', provider_message_id: message[0]?.sid }]);
    expect(sink.to('ada@example.com')).toHaveLength(emailsBefore);
  }, 60_000);
});
