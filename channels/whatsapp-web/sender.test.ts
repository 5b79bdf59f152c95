import library from 'whatsapp-web.js';
import { describe, expect, test } from 'vitest';
import { DeliveryError } from '../../core/channel.js';
import { parseWhatsAppWebMessage } from './parse.js';
import { WhatsAppWebSender } from './sender.js';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './wire.js';

/** The library's own Client, never initialized (no browser); only its send is replaced, to see what would leave. */
function clientCapturingSends(): { client: WhatsAppWebClient; sent: Array<{ chatId: string; text: string }> } {
  const client = new library.Client({});
  const sent: Array<{ chatId: string; text: string }> = [];
  client.sendMessage = (async (chatId: string, text: string) => {
    sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_OUT${sent.length}` } };
  }) as unknown as typeof client.sendMessage;
  return { client, sent };
}

const address = (senderId: string) => ({ conversationId: '00000000-0000-4000-8000-000000000001', channel: 'whatsapp' as const, senderId });

describe('replies through WhatsApp Web', () => {
  test('a choice reaches the customer as a numbered list, to their number’s chat', async () => {
    const { client, sent } = clientCapturingSends();
    const sender = new WhatsAppWebSender({ client, ready: () => true });
    const receipt = await sender.send(address('4915123456789'), { kind: 'choice', text: 'Which order?', options: [{ label: 'Order 100231', value: 'o1' }, { label: 'Order 100232', value: 'o2' }] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.chatId).toBe('4915123456789@c.us');
    expect(sent[0]!.text).toMatch(/Which order\?[\s\S]*1\. Order 100231[\s\S]*2\. Order 100232/);
    expect(receipt).toEqual({ providerMessageId: 'true_4915123456789@c.us_OUT1' });
  });

  test('a privacy id (@lid) is answered in its own chat; a long text is split, never over 4,096 characters', async () => {
    const { client, sent } = clientCapturingSends();
    const sender = new WhatsAppWebSender({ client, ready: () => true });
    await sender.send(address('123456789012345@lid'), { kind: 'text', text: `${'word '.repeat(1000)}end` });
    expect(sent.length).toBe(2);
    expect(sent.every((s) => s.chatId === '123456789012345@lid' && s.text.length <= 4096)).toBe(true);
  });

  test('while the session is not ready nothing is sent, and the delivery is retried (nothing left)', async () => {
    const { client, sent } = clientCapturingSends();
    const sender = new WhatsAppWebSender({ client, ready: () => false });
    const failure = await sender.send(address('4915123456789'), { kind: 'text', text: 'hi' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).failure).toEqual({ kind: 'unavailable' });
    expect(sent).toEqual([]);
  });
});

describe('messages from WhatsApp Web', () => {
  const message = (overrides: Partial<WhatsAppWebMessage>): WhatsAppWebMessage => ({
    id: { _serialized: 'false_4915123456789@c.us_3EB0AAAA' },
    from: '4915123456789@c.us',
    body: '',
    fromMe: false,
    type: 'chat',
    timestamp: 1_700_000_000,
    hasMedia: false,
    isStatus: false,
    getChat: async () => ({ isGroup: false }),
    ...overrides,
  });
  const receivedAt = new Date('2026-12-03T10:00:00Z');
  const noPhone = async () => null;

  test.each([
    ['a location', message({ type: 'location', location: { latitude: '52.52', longitude: '13.405', name: 'Home' } }), { kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Home' }],
    ['a photo with a caption, as its caption', message({ type: 'image', hasMedia: true, body: 'this arrived broken' }), { kind: 'text', text: 'this arrived broken' }],
  ])('%s is taken', async (_case, msg, content) => {
    const parsed = await parseWhatsAppWebMessage(msg, { receivedAt, phoneOf: noPhone });
    expect(parsed).toEqual({ kind: 'message', message: { channel: 'whatsapp', providerMessageId: msg.id._serialized, sender: { id: '4915123456789' }, content, receivedAt: receivedAt.toISOString() } });
  });

  test.each([
    ['a photo without a caption', message({ type: 'image', hasMedia: true }), 'empty'],
    ['a poll', message({ type: 'poll_creation', body: '' }), 'unsupported_type'],
  ])('%s is skipped', async (_case, msg, reason) => {
    expect(await parseWhatsAppWebMessage(msg, { receivedAt, phoneOf: noPhone })).toEqual({ kind: 'skipped', reason });
  });

  test('a privacy id is keyed by the number WhatsApp gives for it, else by the chat id', async () => {
    const fromLid = message({ from: '123456789012345@lid', body: 'hello' });
    const known = await parseWhatsAppWebMessage(fromLid, { receivedAt, phoneOf: async () => '4915123456789' });
    expect(known.kind === 'message' && known.message.sender.id).toBe('4915123456789');
    const unknown = await parseWhatsAppWebMessage(fromLid, { receivedAt, phoneOf: noPhone });
    expect(unknown.kind === 'message' && unknown.message.sender.id).toBe('123456789012345@lid');
  });
});
