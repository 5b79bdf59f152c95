import { describe, expect, test } from 'vitest';
import { ChannelInboundSchema, toTurnMessage, type InboundContent } from './inbound.js';

const base = { channel: 'test' as const, providerMessageId: 'm-1', sender: { id: 'u-1', displayName: 'Ada' }, receivedAt: '2025-03-04T12:00:00.000Z' };

describe('normalized inbound messages', () => {
  test.each<[string, InboundContent, { text: string; payload?: string }]>([
    ['text', { kind: 'text', text: 'where is my order?' }, { text: 'where is my order?' }],
    ['a pressed button', { kind: 'choice_answer', payload: 'order:100235', label: '100235 · Buds' }, { text: '100235 · Buds', payload: 'order:100235' }],
    ['a photo with a caption', { kind: 'media', mediaType: 'image', mimeType: 'image/jpeg', url: 'https://m.example.com/1.jpg', caption: 'broken' }, { text: 'broken\nhttps://m.example.com/1.jpg' }],
    ['a voice note', { kind: 'media', mediaType: 'audio', mimeType: 'audio/ogg', url: 'https://m.example.com/2.ogg' }, { text: 'https://m.example.com/2.ogg' }],
    ['a shared location', { kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Store' }, { text: 'Store\n52.52,13.405' }],
  ])('%s reaches the turn as what the transcript shows', (_name, content, said) => {
    const message = ChannelInboundSchema.parse({ ...base, content });
    expect(toTurnMessage(message, { clientIp: '203.0.113.9' })).toEqual({
      channel: 'test',
      providerMessageId: 'm-1',
      senderId: 'u-1',
      displayName: 'Ada',
      clientIp: '203.0.113.9',
      receivedAt: new Date(base.receivedAt),
      ...said,
    });
  });

  test.each([
    ['a media URL that is not http(s)', { kind: 'media', mediaType: 'image', mimeType: 'image/png', url: 'file:///etc/passwd' }],
    ['a latitude out of range', { kind: 'location', latitude: 91, longitude: 0 }],
    ['text the database cannot store', { kind: 'text', text: 'a\u0000b' }],
    ['a kind outside the union', { kind: 'sticker_pack', id: 'x' }],
  ])('%s is refused at the boundary', (_name, content) => {
    expect(ChannelInboundSchema.safeParse({ ...base, content }).success).toBe(false);
  });
});
