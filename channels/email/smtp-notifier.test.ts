import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError } from '../../core/channel.js';
import type { Notification } from '../../core/notifier.js';
import { SmtpSink } from '../../test/smtp-sink.js';
import { SmtpNotifier } from './smtp-notifier.js';

const FROM = '"Voltline Support" <support@voltline.example>';
const code = (to: string): Notification => ({ transport: 'email', to, subject: 'Your Voltline code', body: 'Your code is 482913. It expires in 10 minutes.', devLogLine: 'verification code 482913' });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('email over SMTP (nodemailer against a loopback smtp-server)', () => {
  let sink: SmtpSink;
  let notifier: SmtpNotifier;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    notifier = new SmtpNotifier({ url: sink.url(), from: FROM, timeoutMs: 5000 });
  });
  afterAll(async () => {
    notifier?.close();
    await sink?.stop();
  });

  test('the customer receives a plain-text email from MAIL_FROM with the subject and the code, sent by the authenticated account', async () => {
    const to = `ada+${randomUUID()}@example.com`;
    const receipt = await notifier.send(code(to), { effectKey: 'conv-1:3:0' });
    const [mail] = await sink.waitFor(to);
    expect(mail?.user).toBe('switchboard');
    expect(mail?.envelopeFrom).toBe('support@voltline.example');
    expect(mail?.parsed.from?.value).toEqual([{ address: 'support@voltline.example', name: 'Voltline Support' }]);
    expect(mail?.parsed.to).toMatchObject({ value: [{ address: to, name: '' }] });
    expect(mail?.parsed.subject).toBe('Your Voltline code');
    expect(mail?.parsed.text?.trim()).toBe('Your code is 482913. It expires in 10 minutes.');
    // Plain text only; the developer's log line is not part of the email.
    expect(mail?.parsed.html).toBe(false);
    expect(mail?.parsed.text).not.toContain('verification code');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(receipt).toEqual({ via: 'smtp', providerMessageId: mail?.parsed.messageId });
  });

  test('a retry of the same effect carries the same Message-ID, one that does not reveal the conversation', async () => {
    const to = `grace+${randomUUID()}@example.com`;
    await notifier.send(code(to), { effectKey: 'conv-secret-id:7:1' });
    await notifier.send(code(to), { effectKey: 'conv-secret-id:7:1' });
    await notifier.send(code(to), { effectKey: 'conv-secret-id:8:0' });
    const mails = await sink.waitFor(to, 3);
    const ids = mails.map((m) => m.parsed.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[0]).toMatch(/^<[0-9a-f]{32}@voltline\.example>$/);
    expect(ids.join()).not.toContain('conv-secret-id');
  });

  test('a 4xx from the server ("try later") is a failure that may be retried: nothing was delivered', async () => {
    const to = `linus+${randomUUID()}@example.com`;
    sink.deferNextMessages(1);
    expect((await failureOf(notifier.send(code(to)))).failure).toEqual({ kind: 'unavailable' });
    expect(sink.to(to)).toEqual([]);
  });

  test('a mailbox the server refuses (550) is rejected for good, with the reply code', async () => {
    const to = `nobody+${randomUUID()}@example.com`;
    sink.rejectRecipient(to);
    expect((await failureOf(notifier.send(code(to)))).failure).toEqual({ kind: 'rejected', providerCode: '550' });
  });

  test('wrong SMTP credentials are rejected for good (535), and nothing is sent', async () => {
    const wrong = new SmtpNotifier({ url: sink.url('not-the-password'), from: FROM, timeoutMs: 5000 });
    const to = `mallory+${randomUUID()}@example.com`;
    try {
      expect((await failureOf(wrong.send(code(to)))).failure).toEqual({ kind: 'rejected', providerCode: '535' });
      expect(sink.to(to)).toEqual([]);
    } finally {
      wrong.close();
    }
  });

  test('a mail server that is not listening is unavailable, to be retried', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const down = new SmtpNotifier({ url: `smtp://u:p@127.0.0.1:${port}`, from: FROM, timeoutMs: 5000 });
    try {
      expect((await failureOf(down.send(code('ada@example.com')))).failure).toEqual({ kind: 'unavailable' });
    } finally {
      down.close();
    }
  });

  test('an SMS handed to the email notifier is refused, never mailed', async () => {
    const before = sink.received.length;
    expect((await failureOf(notifier.send({ transport: 'sms', to: '+14155550101', subject: '', body: 'code' }))).failure.kind).toBe('rejected');
    expect(sink.received).toHaveLength(before);
  });
});
