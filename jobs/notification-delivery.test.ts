import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SmtpNotifier } from '../channels/email/index.js';
import { NotificationRouter } from '../channels/notifications/index.js';
import { createTwilioRestClient, TwilioSmsNotifier } from '../channels/twilio/index.js';
import type { ChannelSender } from '../core/channel.js';
import type { ConversationEvent } from '../core/conversation.js';
import type { ChannelName } from '../core/message.js';
import type { Notification } from '../core/notifier.js';
import type { ConversationProjection } from '../db/conversation-projection.js';
import { ConversationRepository } from '../db/conversations.js';
import { EventWriter } from '../db/event-writer.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { SmtpSink } from '../test/smtp-sink.js';
import { TWILIO_ERRORS, TwilioApiStandIn } from '../test/twilio-api.js';
import { startConversationEffects } from './conversation-effects.js';
import { startOutboundDelivery } from './outbound-delivery.js';
import { JobQueue } from './queue.js';
import { eventually, silentLog } from './test-fixtures/delivery.js';

const at = '2030-01-01T00:00:00.000Z';
const RETRY_SECONDS = 1;

describe.each(DATABASE_KINDS)('emails and SMS through the durable queue, recorded on outbound rows (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let jobs: JobQueue;
  let repo: ConversationRepository;
  let writer: EventWriter;
  let sink: SmtpSink;
  let twilioApi: TwilioApiStandIn;
  let smtp: SmtpNotifier;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    repo = new ConversationRepository(handle.db);
    sink = await new SmtpSink().start();
    twilioApi = await new TwilioApiStandIn().start();
    smtp = new SmtpNotifier({ url: sink.url(), from: 'Voltline <support@voltline.example>', timeoutMs: 5000 });
    const sms = new TwilioSmsNotifier(createTwilioRestClient({ accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, apiOrigin: twilioApi.origin }), { kind: 'number', from: '+14155550100' });
    jobs = new JobQueue({ database: handle, log: silentLog, schema: `pgboss_nd_${randomUUID().slice(0, 8)}`, pollingIntervalSeconds: 0.5 });
    await jobs.start();
    const senders = new Map<ChannelName, ChannelSender>();
    const outbound = await startOutboundDelivery({ db: handle.db, jobs, senders, log: silentLog });
    const started = await startConversationEffects({
      db: handle.db,
      jobs,
      outbound: outbound.queue,
      notifier: new NotificationRouter({ email: smtp, sms, fallback: null }),
      senders,
      log: silentLog,
      policy: { leaseSeconds: 5, retryDelaySeconds: RETRY_SECONDS },
    });
    writer = new EventWriter(handle.db, started.recorder);
  });
  afterAll(async () => {
    await jobs?.stop();
    smtp?.close();
    await sink?.stop();
    await twilioApi?.stop();
    await handle?.dispose();
  });

  /** Commits a change whose only effect is this notification, as a flow's turn would. */
  async function decide(notification: Notification): Promise<string> {
    const contact = await repo.resolveContact('webchat', `visitor-${randomUUID()}`);
    const conversationId = (await repo.openConversation(contact.contactId, 'webchat')).id;
    const events: ConversationEvent[] = [{ at, type: 'slot_set', name: 'verification', value: 'sent' }];
    const projection: ConversationProjection = { status: 'bot', assigneeId: null, team: null, priority: 0, issueType: null, lastSeq: 0, replyTo: { channel: 'webchat', senderId: 'v' }, waitingSince: null };
    await writer.commit({ conversationId, firstSeq: 0, events, projection, effects: [{ kind: 'notify', notification }] });
    return conversationId;
  }

  const rowOf = (conversationId: string) => handle.db.selectFrom('outbound_notifications').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
  const settled = (conversationId: string) => eventually(() => rowOf(conversationId), (r) => r.status !== 'queued', 30_000);
  const effectOf = (conversationId: string) => handle.db.selectFrom('conversation_effects').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
  /** Longer than the job's first retry: a retry that was going to happen has happened. */
  const pastFirstRetry = () => new Promise((resolve) => setTimeout(resolve, (RETRY_SECONDS * 2 + 1) * 1000));
  const emailCode = (to: string, digits: string): Notification => ({ transport: 'email', to, subject: 'Your Voltline code', body: `Your code is ${digits}.`, devLogLine: `verification code ${digits}` });
  const smsCode = (to: string, digits: string): Notification => ({ transport: 'sms', to, subject: 'Your Voltline code', body: `Your Voltline code is ${digits}.` });

  test('a code decided by a commit is emailed once, and its outbound row says sent, by SMTP, with the Message-ID and a masked recipient', async () => {
    const to = `ada.lovelace+${randomUUID().slice(0, 8)}@example.com`;
    const id = await decide(emailCode(to, '613572'));
    const row = await settled(id);
    const [mail] = await sink.waitFor(to);
    expect(mail?.parsed.text).toContain('613572');
    expect(row).toMatchObject({ transport: 'email', status: 'sent', via: 'smtp', provider_message_id: mail?.parsed.messageId, attempts: 1, last_error: null, provider_code: null });
    expect(row.recipient).toBe(`a***@example.com`);
    // The row is for reading: neither the code nor the address is in it.
    expect(JSON.stringify(row)).not.toContain('613572');
    expect(JSON.stringify(row)).not.toContain(to);
    expect(await effectOf(id)).toMatchObject({ status: 'done', attempts: 1 });
    await pastFirstRetry();
    expect(sink.to(to)).toHaveLength(1);
  });

  test('a mail server saying "try later" (451) is retried with backoff and sent on the second attempt: the customer gets one email', async () => {
    const to = `grace+${randomUUID().slice(0, 8)}@example.com`;
    sink.deferNextMessages(1);
    const id = await decide(emailCode(to, '204681'));
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'sent', via: 'smtp', attempts: 2, last_error: null });
    expect(sink.to(to)).toHaveLength(1);
    expect(sink.to(to)[0]?.parsed.text).toContain('204681');
  });

  test('a mailbox the server refuses (550) fails on its row with the reason and the reply code, and is never tried again', async () => {
    const to = `nobody+${randomUUID().slice(0, 8)}@example.com`;
    sink.rejectRecipient(to);
    const id = await decide(emailCode(to, '777001'));
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'failed', last_error: 'rejected', provider_code: '550', attempts: 1, provider_message_id: null });
    expect(await effectOf(id)).toMatchObject({ status: 'failed', last_error: 'rejected', attempts: 1 });
    await pastFirstRetry();
    expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(sink.to(to)).toEqual([]);
  });

  test('an SMS code goes out through Twilio once; the row carries the Message SID and a masked number', async () => {
    const to = '+14155550123';
    const id = await decide(smsCode(to, '350912'));
    const row = await settled(id);
    const [message] = twilioApi.to(to);
    expect(message?.form).toEqual({ To: to, From: '+14155550100', Body: 'Your Voltline code is 350912.' });
    expect(row).toMatchObject({ transport: 'sms', status: 'sent', via: 'twilio', provider_message_id: message?.sid, attempts: 1, recipient: '+1******0123' });
  });

  test('Twilio answering 503 is retried, then sent once', async () => {
    const to = '+14155550124';
    twilioApi.failNext(1);
    const id = await decide(smsCode(to, '118822'));
    expect(await settled(id)).toMatchObject({ status: 'sent', via: 'twilio', attempts: 2 });
    expect(twilioApi.to(to)).toHaveLength(1);
  });

  test.each([
    ['a number that replied STOP (21610)', '+14155550125', TWILIO_ERRORS.unsubscribed, '21610'],
    ['an invalid number (21211)', '+14155550126', TWILIO_ERRORS.invalidTo, '21211'],
  ])('%s fails on its row with Twilio\'s code and is not retried', async (_name, to, error, providerCode) => {
    twilioApi.refuse(to, error);
    const id = await decide(smsCode(to, '909090'));
    expect(await settled(id)).toMatchObject({ status: 'failed', last_error: 'rejected', provider_code: providerCode, attempts: 1 });
    await pastFirstRetry();
    expect(await rowOf(id)).toMatchObject({ attempts: 1 });
    expect(twilioApi.to(to)).toEqual([]);
  });
});
