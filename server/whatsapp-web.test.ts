import type { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AGENT_SESSION_COOKIE } from '../core/agent-api.js';
import { loadConfig } from '../core/config.js';
import { isSwitchboardError } from '../core/errors.js';
import { UserRepository } from '../db/users.js';
import { CHROMIUM_ARGS, WhatsAppWebStatusSchema, type WhatsAppWebMessage } from '../channels/whatsapp-web/index.js';
import { AgentClient } from '../test/agent-client.js';
import { startTestService, type TestService } from '../test/service.js';
import { eventually } from '../test/test-channel-provider.js';
import { hashPassword } from './agent/passwords.js';

/** A wa_id nobody has on file. */
const newNumber = () => `4915${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
let serial = 0;

/** A `message` event as whatsapp-web.js emits it (its Message fields; `getChat` answers without a browser). */
function incoming(from: string, body: string, overrides: Partial<WhatsAppWebMessage> & { group?: boolean } = {}): WhatsAppWebMessage {
  const { group = false, ...fields } = overrides;
  serial += 1;
  return {
    id: { _serialized: `false_${from}_3EB0${String(serial).padStart(16, '0')}` },
    from,
    body,
    fromMe: false,
    type: 'chat',
    timestamp: Math.floor(Date.now() / 1000),
    hasMedia: false,
    isStatus: false,
    getChat: async () => ({ isGroup: group }),
    ...fields,
  };
}

describe('WhatsApp through whatsapp-web.js (WHATSAPP_WEB=true)', () => {
  let service: TestService;
  let client: EventEmitter & { sendMessage: (chatId: string, text: string) => Promise<{ id: { _serialized: string } }> };
  const sent: Array<{ chatId: string; text: string }> = [];
  let failNextSend = false;
  const password = 'the-admin-password-1';

  beforeAll(async () => {
    service = await startTestService('embedded', { WHATSAPP_WEB: 'true' }, { launchWhatsAppWeb: false });
    const channel = service.whatsappWeb;
    if (channel === null) throw new Error('WHATSAPP_WEB=true mounted no channel');
    client = channel.client as unknown as typeof client;
    // The one stub: the real Client's send, which needs the browser. Everything else is the library's.
    client.sendMessage = async (chatId, text) => {
      if (failNextSend) {
        failNextSend = false;
        throw new Error('Evaluation failed: the page crashed');
      }
      sent.push({ chatId, text });
      return { id: { _serialized: `true_${chatId}_3EB0OUT${sent.length}` } };
    };
    const users = new UserRepository(service.database.db);
    await users.create({ email: 'owner@voltline.example', name: 'Owner', role: 'admin', teams: ['support-leads'], passwordHash: await hashPassword(password) });
    await users.create({ email: 'pat@voltline.example', name: 'Pat', role: 'agent', teams: ['returns'], passwordHash: await hashPassword(password) });
    client.emit('authenticated');
    client.emit('ready');
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
  });

  const db = () => service.database.db;
  const stored = (id: string) => db().selectFrom('inbound_messages').select('provider_message_id').where('provider_message_id', '=', id).execute();
  const userSaid = (id: string) => db().selectFrom('conversation_events').select(['conversation_id', 'seq']).where('type', '=', 'user_said').where('provider_message_id', '=', id).execute();
  const repliesAfter = (said: { conversation_id: string; seq: number }) =>
    db().selectFrom('outbound_messages').select(['seq', 'status', 'provider_message_id', 'last_error']).where('conversation_id', '=', said.conversation_id).where('seq', '>', said.seq).execute();

  /** Emits a message and waits until its turn ran and its replies were settled. */
  async function turn(message: WhatsAppWebMessage) {
    client.emit('message', message);
    await service.whatsappWeb!.settled();
    await eventually(() => stored(message.id._serialized), (rows) => rows.length === 0);
    const [said] = await userSaid(message.id._serialized);
    expect(said, 'the message reached the bot').toBeDefined();
    const rows = await eventually(() => repliesAfter(said!), (found) => found.length > 0 && found.every((r) => r.status !== 'queued'));
    return { said: said!, rows };
  }

  test('the production Client: the session under DATA_DIR/whatsapp-web (LocalAuth), Debian Chromium, headless with nothing in the background', () => {
    const options = (client as unknown as { options: { puppeteer: { executablePath: string; headless: boolean; args: string[] }; authStrategy: { dataPath: string } } }).options;
    expect(options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS] });
    expect(options.authStrategy.dataPath).toBe(path.resolve(service.env.DATA_DIR!, 'whatsapp-web'));
  });

  test('a customer’s message reaches the bot and the reply goes to their chat, recorded as sent', async () => {
    const number = newNumber();
    const before = sent.length;
    const { rows } = await turn(incoming(`${number}@c.us`, 'hello'));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const replies = sent.slice(before);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.chatId === `${number}@c.us`)).toBe(true);
    expect(rows.map((r) => r.provider_message_id)).toContain(`true_${number}@c.us_3EB0OUT${before + 1}`);
    // One identity on the `whatsapp` channel, keyed by the number as the Cloud API keys it.
    const identities = await db().selectFrom('contact_identities').select(['channel', 'sender_id']).where('sender_id', '=', number).execute();
    expect(identities).toEqual([{ channel: 'whatsapp', sender_id: number }]);
  });

  test('the same message id twice is one stored message, one turn and one reply', async () => {
    const number = newNumber();
    const message = incoming(`${number}@c.us`, 'hello');
    const before = sent.length;
    client.emit('message', message);
    const { said } = await turn(message);
    const repliesOnce = sent.slice(before).length;
    expect(repliesOnce).toBeGreaterThan(0);
    // Once more after its turn ran: still not answered again.
    client.emit('message', message);
    await service.whatsappWeb!.settled();
    expect(await userSaid(message.id._serialized)).toHaveLength(1);
    expect(await repliesAfter(said)).toHaveLength(repliesOnce);
    expect(sent.slice(before).filter((r) => r.chatId === `${number}@c.us`)).toHaveLength(repliesOnce);
  });

  test.each([
    ['a status update (story)', (n: string) => incoming('status@broadcast', 'my holiday', { isStatus: true, id: { _serialized: `false_status@broadcast_${n}` } })],
    ['a group chat', (n: string) => incoming(`1203630${n}@g.us`, 'hello group', { group: true })],
    ['a group whose id looks like a person’s (getChat says group)', (n: string) => incoming(`${n}@c.us`, 'hello', { group: true })],
    ['our own message (sent from the phone)', (n: string) => incoming(`${n}@c.us`, 'hello', { fromMe: true })],
  ])('%s is never stored or answered', async (_case, make) => {
    const number = newNumber();
    const message = make(number);
    const before = sent.length;
    client.emit('message', message);
    await service.whatsappWeb!.settled();
    expect(await stored(message.id._serialized)).toEqual([]);
    expect(await userSaid(message.id._serialized)).toEqual([]);
    expect(await db().selectFrom('contact_identities').select('sender_id').where('sender_id', 'in', [number, message.from]).execute()).toEqual([]);
    expect(sent.slice(before)).toEqual([]);
  });

  test('a send that throws is recorded failed (unknown outcome), never repeated', async () => {
    const number = newNumber();
    failNextSend = true;
    const before = sent.length;
    const { rows } = await turn(incoming(`${number}@c.us`, 'hello'));
    expect(rows[0]).toMatchObject({ status: 'failed', last_error: 'unknown_outcome' });
    expect(sent.slice(before).filter((r) => r.chatId === `${number}@c.us`).length).toBe(rows.filter((r) => r.status === 'sent').length);
  });

  test('WhatsApp’s read receipt moves the reply to read', async () => {
    const number = newNumber();
    const { rows } = await turn(incoming(`${number}@c.us`, 'hello'));
    const first = rows.find((r) => r.provider_message_id !== null)!;
    client.emit('message_ack', { id: { _serialized: first.provider_message_id } }, 3);
    await eventually(
      () => db().selectFrom('outbound_messages').select('status').where('provider_message_id', '=', first.provider_message_id).executeTakeFirstOrThrow(),
      (row) => row.status === 'read',
    );
  });

  describe('the admin page', () => {
    const page = (cookie?: string) => fetch(`${service.url}/admin/whatsapp-web`, cookie !== undefined ? { headers: { cookie: `${AGENT_SESSION_COOKIE}=${cookie}` } } : {});
    const status = (cookie: string) => fetch(`${service.url}/admin/whatsapp-web/status`, { headers: { cookie: `${AGENT_SESSION_COOKIE}=${cookie}` } });
    const signIn = async (email: string) => (await new AgentClient(service.url).login(email, password)).cookie!;

    test('is refused to anyone not signed in, and to agents; nothing of the QR code in the refusal', async () => {
      client.emit('qr', '2@refusal-test-code,abc');
      const anonymous = await page();
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain('svg');
      const agent = await page(await signIn('pat@voltline.example'));
      expect(agent.status).toBe(403);
      expect(await agent.text()).not.toContain('svg');
      expect((await status(await signIn('pat@voltline.example'))).status).toBe(403);
      expect((await page('not-a-session-token')).status).toBe(401);
    });

    test('shows an admin the QR code after a qr event, then the connected state; the code is never cached nor printed as text', async () => {
      const cookie = await signIn('owner@voltline.example');
      const code = '2@<img src=x onerror=alert(1)>"&\'QRCODE-TOKEN,key1,key2,1';
      client.emit('qr', code);
      const res = await page(cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toMatch(/<svg [^>]*role="img" aria-label="WhatsApp Web log-in QR code"/);
      expect(html).toContain('data-state="qr"');
      expect(html).toContain('http-equiv="refresh"');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('QRCODE-TOKEN');
      expect(html).toContain('not an official WhatsApp API');
      expect(WhatsAppWebStatusSchema.parse(await (await status(cookie)).json())).toMatchObject({ state: 'qr', waitingForScan: true });

      client.emit('authenticated');
      client.emit('ready');
      const connected = await (await page(cookie)).text();
      expect(connected).toContain('data-state="ready"');
      expect(connected).not.toContain('<svg');
      expect(connected).not.toContain('http-equiv="refresh"');
      expect(await (await status(cookie)).json()).toMatchObject({ state: 'ready', waitingForScan: false, reason: null });
    });

    test('a disconnect from the phone is shown, and replies wait (nothing is sent while not ready)', async () => {
      const cookie = await signIn('owner@voltline.example');
      client.emit('disconnected', 'LOGOUT');
      expect(await (await status(cookie)).json()).toMatchObject({ state: 'disconnected', reason: 'LOGOUT' });
      const number = newNumber();
      const message = incoming(`${number}@c.us`, 'hello');
      const before = sent.length;
      client.emit('message', message);
      await service.whatsappWeb!.settled();
      const [said] = await eventually(() => userSaid(message.id._serialized), (rows) => rows.length === 1);
      // Tried while disconnected: refused before anything was sent, kept queued to try again.
      await eventually(() => repliesAfter(said!), (rows) => rows.some((r) => r.status === 'queued' && r.last_error === 'unavailable'));
      expect(sent.slice(before).filter((r) => r.chatId === `${number}@c.us`)).toEqual([]);
      // Back: the waiting reply goes out.
      client.emit('ready');
      await eventually(async () => sent.slice(before).filter((r) => r.chatId === `${number}@c.us`).length, (n) => n > 0, 60_000);
    }, 90_000);
  });
});

describe('WhatsApp Web is off by default', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('embedded', {}, { launchWhatsAppWeb: false });
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
  });

  test('no Client, no page: /admin/whatsapp-web is the admin API’s, which has no such route', async () => {
    expect(loadConfig({}).WHATSAPP_WEB).toBe(false);
    expect(service.whatsappWeb).toBeNull();
    expect(service.urls.whatsappWebAdmin).toBeNull();
    const anonymous = await fetch(`${service.url}/admin/whatsapp-web`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('WhatsApp Web connection');
  });
});

describe('one WhatsApp number, one connector', () => {
  const cloudApi = { WHATSAPP_APP_SECRET: '0123456789abcdef0123456789abcdef', WHATSAPP_VERIFY_TOKEN: 'a-random-whatsapp-verify-token', WHATSAPP_ACCESS_TOKEN: 'EAAG-your-system-user-token', WHATSAPP_PHONE_NUMBER_ID: '106540352242922' };
  const twilio = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'a-twilio-auth-token-32-characters', TWILIO_FROM: '+14155550100', TWILIO_WHATSAPP_FROM: 'whatsapp:+14155550100' };

  test.each([
    ['the Cloud API', cloudApi, ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID']],
    ['Twilio', twilio, ['TWILIO_WHATSAPP_FROM']],
  ])('WHATSAPP_WEB=true beside %s is refused at start-up, naming the variables', (_name, env, named) => {
    let thrown: unknown;
    try {
      loadConfig({ ...env, WHATSAPP_WEB: 'true' });
    } catch (error) {
      thrown = error;
    }
    expect(isSwitchboardError(thrown) && thrown.code === 'SB_ERR_CONFIG').toBe(true);
    const error = thrown as Error & { details?: Array<{ path: string }> };
    expect(error.message).toContain('WHATSAPP_WEB=true');
    for (const name of named) expect(error.message).toContain(name);
    expect(error.details?.map((d) => d.path)).toEqual(['WHATSAPP_WEB', ...named]);
    // Each alone is fine.
    expect(loadConfig(env).WHATSAPP_WEB).toBe(false);
    expect(loadConfig({ WHATSAPP_WEB: 'true' }).WHATSAPP_WEB_CHROMIUM).toBe('/usr/bin/chromium');
  });
});
