import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError, type DeliveryFailure } from '../../core/channel.js';
import type { OutboundMessage } from '../../core/message.js';
import { META_ERRORS, MetaGraphApiStandIn } from '../../test/meta-graph-api.js';
import { inMemoryMessagingWindows, windowState } from '../messaging-window.js';
import { GraphApiClient } from './graph-client.js';
import { MessagingSender } from './messaging-sender.js';
import { DEFAULT_TEMPLATES_FILE, loadWhatsAppTemplates } from './templates.js';
import { WhatsAppCloudSender } from './whatsapp-sender.js';

const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '104857392011223';
const HOUR = 3600_000;
let next = 0;
const customer = () => `49151${String((next += 1)).padStart(8, '0')}`;
const context = (author: 'bot' | 'agent' = 'bot') => ({ seq: 1, author, idempotencyKey: `c:${next}` });
const choice = (n: number, label = (i: number) => `Order 10023${i}`): OutboundMessage => ({
  kind: 'choice',
  text: 'Which order?',
  options: Array.from({ length: n }, (_, i) => ({ label: label(i), value: `order:10023${i}` })),
});

async function failureOf(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return (error as DeliveryError).failure;
}

describe('sending through the Graph API (against a loopback stand-in)', () => {
  let api: MetaGraphApiStandIn;
  const windows = inMemoryMessagingWindows();
  const now = new Date();
  let whatsapp: WhatsAppCloudSender;
  let messenger: MessagingSender;
  const open = (channel: 'whatsapp' | 'messenger', who: string, hoursAgo = 1) =>
    windows.recordInbound({ channel, business: channel === 'whatsapp' ? PHONE_NUMBER_ID : PAGE_ID, customer: who, at: new Date(now.getTime() - hoursAgo * HOUR) });
  const address = (channel: 'whatsapp' | 'messenger', senderId: string) => ({ conversationId: 'conv-1', channel, senderId });

  beforeAll(async () => {
    api = await new MetaGraphApiStandIn().start();
    const client = new GraphApiClient({ accessToken: api.accessToken, apiOrigin: api.origin, timeoutMs: 2000 });
    const templates = await loadWhatsAppTemplates(DEFAULT_TEMPLATES_FILE);
    whatsapp = new WhatsAppCloudSender({ client, phoneNumberId: PHONE_NUMBER_ID, templates, window: (c) => windowState(windows, { channel: 'whatsapp', business: PHONE_NUMBER_ID, customer: c, now }) });
    messenger = new MessagingSender({ channel: 'messenger', client, businessId: PAGE_ID, window: (c) => windowState(windows, { channel: 'messenger', business: PAGE_ID, customer: c, now, humanAgentTag: true }) });
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('a text inside the window is one Cloud API message from the configured number, with the bearer token; the wamid is the receipt', async () => {
    const to = customer();
    await open('whatsapp', to);
    const receipt = await whatsapp.send(address('whatsapp', to), { kind: 'text', text: 'Your order shipped.' }, context());
    const [call] = api.to(to);
    expect(call).toMatchObject({ version: 'v21.0', node: PHONE_NUMBER_ID, authorized: true });
    expect(call!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body: 'Your order shipped.', preview_url: false } });
    expect(receipt).toEqual({ providerMessageId: call!.id });
  });

  test('a choice of up to 3 short options goes as interactive reply buttons', async () => {
    const to = customer();
    await open('whatsapp', to);
    await whatsapp.send(address('whatsapp', to), choice(3), context());
    expect(api.to(to)[0]!.body).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Which order?' }, action: { buttons: [0, 1, 2].map((i) => ({ type: 'reply', reply: { id: `order:10023${i}`, title: `Order 10023${i}` } })) } },
    });
  });

  test.each([
    ['4 to 10 options', choice(7)],
    ['3 options with a title over 20 characters', choice(3, (i) => `Order 10023${i} (shipped Monday)`.slice(0, 24))],
  ])('%s go as an interactive list', async (_name, message) => {
    const to = customer();
    await open('whatsapp', to);
    await whatsapp.send(address('whatsapp', to), message, context());
    const body = api.to(to)[0]!.body as { type: string; interactive: { type: string; action: { sections: Array<{ rows: Array<{ id: string; title: string }> }> } } };
    expect(body.type).toBe('interactive');
    expect(body.interactive.type).toBe('list');
    expect(body.interactive.action.sections[0]!.rows.map((r) => r.id)).toEqual(message.kind === 'choice' ? message.options.map((o) => o.value) : []);
  });

  test('more than 10 options degrade to a numbered text', async () => {
    const to = customer();
    await open('whatsapp', to);
    await whatsapp.send(address('whatsapp', to), { kind: 'choice', text: 'Pick one', options: Array.from({ length: 10 }, (_, i) => ({ label: `Item number ${i + 1} with a long title`, value: `v${i}` })) }, context());
    const body = api.to(to)[0]!.body as { type: string; text: { body: string } };
    expect(body.type).toBe('text');
    expect(body.text.body).toMatch(/^Pick one\n1\. Item number 1/);
  });

  test('outside the 24-hour window a free-form message is refused without calling Meta; a template goes', async () => {
    const to = customer();
    await open('whatsapp', to, 25);
    expect(await failureOf(whatsapp.send(address('whatsapp', to), { kind: 'text', text: 'Still there?' }, context('agent')))).toEqual({ kind: 'rejected', providerCode: 'outside_window' });
    expect(api.attemptsTo(to)).toEqual([]);
    await whatsapp.send(address('whatsapp', to), { kind: 'template', use: 'csat', text: 'Hi Ada, how did Voltline do?', parameters: ['Ada', 'Voltline'] }, context('agent'));
    expect(api.to(to)[0]!.body).toMatchObject({ type: 'template', template: { name: 'support_csat', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'Voltline' }] }] } });
  });

  test.each<[string, Parameters<MetaGraphApiStandIn['failNext']>[0], DeliveryFailure]>([
    ['500', { status: 500, code: 131000 }, { kind: 'unavailable' }],
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '7' }, code: 130429 }, { kind: 'rate_limited', retryAfterMs: 7000 }],
    ['400 with the throughput code 130429', { status: 400, code: 130429 }, { kind: 'rate_limited', retryAfterMs: null }],
    ['131047 (re-engagement required: outside the window)', META_ERRORS.reengagement, { kind: 'rejected', providerCode: '131047' }],
    ['131026 (undeliverable)', META_ERRORS.undeliverable, { kind: 'rejected', providerCode: '131026' }],
  ])('Meta answering %s is classified for the delivery worker', async (_name, failure, expected) => {
    const to = customer();
    await open('whatsapp', to);
    api.failNext(failure);
    expect(await failureOf(whatsapp.send(address('whatsapp', to), { kind: 'text', text: 'Hi' }, context()))).toEqual(expected);
  });

  test('Messenger: a choice as quick replies (at most 13) in a RESPONSE inside the window', async () => {
    const psid = customer();
    await open('messenger', psid);
    await messenger.send(address('messenger', psid), choice(5), context());
    expect(api.to(psid)[0]).toMatchObject({ node: PAGE_ID, authorized: true });
    expect(api.to(psid)[0]!.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Which order?', quick_replies: [0, 1, 2, 3, 4].map((i) => ({ content_type: 'text', title: `Order 10023${i}`, payload: `order:10023${i}` })) },
    });
  });

  test('Messenger: after 24 hours a person’s reply goes with the HUMAN_AGENT tag up to 7 days; the bot’s is refused; after 7 days both are', async () => {
    const psid = customer();
    await open('messenger', psid, 30);
    await messenger.send(address('messenger', psid), { kind: 'text', text: 'Sorry for the wait.' }, context('agent'));
    expect(api.to(psid)[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(await failureOf(messenger.send(address('messenger', psid), { kind: 'text', text: 'Anything else?' }, context('bot')))).toEqual({ kind: 'rejected', providerCode: 'outside_window' });
    const late = customer();
    await open('messenger', late, 8 * 24);
    expect(await failureOf(messenger.send(address('messenger', late), { kind: 'text', text: 'Hello?' }, context('agent')))).toEqual({ kind: 'rejected', providerCode: 'outside_window' });
    expect(api.attemptsTo(late)).toEqual([]);
  });
});
