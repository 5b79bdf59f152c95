import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEPLOYMENTS, type TestService } from '../../test/service.js';
import type { TwilioApiStandIn } from '../../test/twilio-api.js';
import { inboundForm, messageSid, postTwilio, startTwilioTestService, type TwilioForm, twilioSignature, type TwilioTarget } from '../../test/twilio-webhook.js';

const PUBLIC_URL = 'https://support.voltline.example';
let next = 2000;
const customer = () => `+1415555${String((next += 1)).padStart(4, '0')}`;

describe.each(DEPLOYMENTS)('Twilio webhook signatures (%s)', (deployment) => {
  let twilioApi: TwilioApiStandIn;
  let service: TestService;
  let target: TwilioTarget;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ twilioApi, service, target, dispose } = await startTwilioTestService(deployment, { PUBLIC_URL, TWILIO_REPLY_BUDGET_MS: '0' }));
  });
  afterAll(async () => {
    await dispose?.();
  });

  const count = async (sql: string): Promise<number> => ((await service.database.executeSql(sql, [])).rows[0] as { n: number }).n;
  const inboundRows = () => count(`select count(*)::int as n from inbound_messages where channel in ('sms', 'whatsapp')`);
  const inboundJobs = () => count(`select count(*)::int as n from pgboss.job where name = 'inbound-processing' and (singleton_key like 'sms:%' or singleton_key like 'whatsapp:%')`);
  const events = () => count(`select count(*)::int as n from conversation_events`);

  test('1,000 forged and 10 unsigned posts are refused with 403: nothing stored, queued, answered or sent', async () => {
    const before = { rows: await inboundRows(), jobs: await inboundJobs(), events: await events(), calls: twilioApi.calls.length };
    const forgers: Array<(form: TwilioForm) => { sign: { signature: string } | { url: string } | 'none'; form: TwilioForm }> = [
      // A signature of the right shape that is not the HMAC.
      (form) => ({ sign: { signature: randomBytes(20).toString('base64') }, form }),
      // Signed with another auth token.
      (form) => ({ sign: { signature: twilioSignature(randomBytes(16).toString('hex'), `${PUBLIC_URL}/channels/twilio`, form) }, form }),
      // Signed correctly, then a field changed (the body an attacker wants delivered).
      (form) => ({ sign: { signature: twilioSignature(twilioApi.authToken, `${PUBLIC_URL}/channels/twilio`, form) }, form: form.map(([k, v]) => [k, k === 'Body' ? `${v}!` : v] as [string, string]) }),
      // Signed correctly, then a field added.
      (form) => ({ sign: { signature: twilioSignature(twilioApi.authToken, `${PUBLIC_URL}/channels/twilio`, form) }, form: [...form, ['MediaUrl0', 'https://evil.example/x.jpg']] }),
      // Not base64 at all.
      (form) => ({ sign: { signature: 'not-a-signature' }, form }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 10) {
      const batch = Array.from({ length: 10 }, (_, j) => {
        const forge = forgers[(i + j) % forgers.length]!;
        const { sign, form } = forge(inboundForm(twilioApi.accountSid, { from: customer(), body: `where is my order ${i + j}` }));
        return postTwilio(target, '/channels/twilio', form, { sign });
      });
      statuses.push(...(await Promise.all(batch)).map((a) => a.status));
    }
    for (let i = 0; i < 10; i += 1) {
      const answer = await postTwilio(target, i % 2 === 0 ? '/channels/twilio' : '/channels/twilio/status', inboundForm(twilioApi.accountSid, { from: customer(), body: 'hello' }), { sign: 'none' });
      statuses.push(answer.status);
      expect(answer.body, 'the refusal names no expected signature').not.toMatch(/[A-Za-z0-9+/]{27}=/);
    }
    expect(statuses).toHaveLength(1010);
    expect(statuses.every((s) => s === 403)).toBe(true);
    expect(await inboundRows()).toBe(before.rows);
    expect(await inboundJobs()).toBe(before.jobs);
    expect(await events()).toBe(before.events);
    expect(twilioApi.calls.length, 'no REST call').toBe(before.calls);
  });

  test('behind a proxy: signed for PUBLIC_URL is accepted whatever X-Forwarded-* say; the same message signed for the internal URL is refused', async () => {
    const proxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'support.voltline.example', 'x-forwarded-for': '203.0.113.9' };
    const internal = inboundForm(twilioApi.accountSid, { from: customer(), body: 'hi' });
    const refused = await postTwilio(target, '/channels/twilio', internal, { sign: { url: `${service.url}/channels/twilio` }, headers: proxy });
    expect(refused.status).toBe(403);
    const sid = messageSid();
    const form = inboundForm(twilioApi.accountSid, { from: customer(), body: 'hi', sid });
    const accepted = await postTwilio(target, '/channels/twilio', form, { headers: proxy });
    expect(accepted.status).toBe(200);
    expect(accepted.contentType).toMatch(/^text\/xml/);
    expect(accepted.body).toMatch(/<Response\/>|<Response><\/Response>/);
    await expect.poll(async () => storedText(sid), { timeout: 30_000 }).toBe('hi');
  });

  test.each([
    ['emoji', 'Where is my order? 📦🚚 thanks 🙏'],
    ['Arabic', 'أين طلبي؟ رقم الطلب ١٠٠٢٣٥'],
    ['symbols the form encoding escapes', 'a+b=c & 100% "quoted" <tag> #1'],
  ])('a signed %s body is accepted and stored as sent', async (_name, body) => {
    const sid = messageSid();
    const from = customer();
    const answer = await postTwilio(target, '/channels/twilio', inboundForm(twilioApi.accountSid, { from, body, sid }));
    expect(answer.status).toBe(200);
    await expect.poll(async () => storedText(sid), { timeout: 30_000 }).toBe(body);
  });

  test('repeated MediaUrl fields are all signed and all listed on the message', async () => {
    const from = customer();
    const media = [
      { url: `https://api.twilio.com/2010-04-01/Accounts/${twilioApi.accountSid}/Messages/MM${'a'.repeat(32)}/Media/ME${'1'.repeat(32)}`, contentType: 'image/jpeg' },
      { url: `https://api.twilio.com/2010-04-01/Accounts/${twilioApi.accountSid}/Messages/MM${'a'.repeat(32)}/Media/ME${'2'.repeat(32)}`, contentType: 'application/pdf' },
    ];
    const sid = `MM${randomBytes(16).toString('hex')}`;
    const form = inboundForm(twilioApi.accountSid, { from, body: 'my receipt', sid, media });
    // A name posted twice (Twilio signs each value): refused as invalid after the signature held, nothing stored.
    const doubled: TwilioForm = [...inboundForm(twilioApi.accountSid, { from, body: 'x', sid: messageSid() }), ['MediaUrl0', media[0]!.url], ['MediaUrl0', media[1]!.url], ['MediaContentType0', 'image/jpeg']];
    doubled.splice(doubled.findIndex(([k]) => k === 'NumMedia'), 1, ['NumMedia', '1']);
    const invalid = await postTwilio(target, '/channels/twilio', doubled);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatch(/MediaUrl0/);
    // Parsed before its turn deletes the row: read it from the queue's copy or the log.
    const answer = await postTwilio(target, '/channels/twilio', form);
    expect(answer.status).toBe(200);
    const listed = await service.database.executeSql(`select message from inbound_messages where provider_message_id = $1`, [sid]);
    const stored = listed.rows[0] as { message: unknown } | undefined;
    if (stored !== undefined) {
      const message = (typeof stored.message === 'string' ? JSON.parse(stored.message) : stored.message) as { attachments: unknown; content: unknown };
      expect(message.attachments).toEqual(media.map((m) => ({ mimeType: m.contentType, url: m.url })));
      expect(message.content).toMatchObject({ kind: 'media', mediaType: 'image', mimeType: 'image/jpeg', url: media[0]!.url, caption: 'my receipt' });
    }
    await expect.poll(async () => storedText(sid), { timeout: 30_000 }).toBe(`my receipt\n${media[0]!.url}`);
  });

  /** What the conversation log holds of the message the customer sent (its `user_said` event). */
  async function storedText(sid: string): Promise<string | null> {
    const { rows } = await service.database.executeSql(`select payload from conversation_events where provider_message_id = $1 and type = 'user_said'`, [sid]);
    const row = rows[0] as { payload: unknown } | undefined;
    if (row === undefined) return null;
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as { text?: string };
    return payload.text ?? null;
  }
});
