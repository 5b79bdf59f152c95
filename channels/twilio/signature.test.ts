import { describe, expect, test } from 'vitest';
import type { RawInboundRequest } from '../../core/channel.js';
import { twilioSignature, type TwilioForm } from '../../test/twilio-webhook.js';
import { verifyTwilioSignature } from './signature.js';

const TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC = 'https://support.voltline.example/channels/twilio?tenant=a%20b';

function request(form: TwilioForm, signature: string | undefined, publicUrl = PUBLIC): RawInboundRequest {
  return {
    method: 'POST',
    path: '/channels/twilio?tenant=a%20b',
    publicUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'internal:3000', 'x-forwarded-proto': 'http', ...(signature !== undefined ? { 'x-twilio-signature': signature } : {}) },
    body: Buffer.from(new URLSearchParams(form).toString()),
    receivedAt: new Date(),
  };
}

const form: TwilioForm = [
  ['MessageSid', `SM${'a'.repeat(32)}`],
  ['From', '+14155550111'],
  ['Body', 'Où est ma commande ? 📦 مرحبا a+b&c=d'],
  ['NumMedia', '2'],
  ['MediaUrl0', 'https://api.twilio.com/m/0'],
  ['MediaUrl1', 'https://api.twilio.com/m/1'],
];

describe('verifyTwilioSignature', () => {
  test('a request signed for the public URL (query included) and every field is accepted, whatever Host and X-Forwarded-* say', () => {
    expect(verifyTwilioSignature(TOKEN, request(form, twilioSignature(TOKEN, PUBLIC, form)))).toEqual({ ok: true });
  });

  test('a name posted twice is signed with both values, as Twilio signs it', () => {
    const repeated: TwilioForm = [...form, ['Tag', 'b'], ['Tag', 'a']];
    expect(verifyTwilioSignature(TOKEN, request(repeated, twilioSignature(TOKEN, PUBLIC, repeated)))).toEqual({ ok: true });
    // Dropping one of the values breaks it.
    expect(verifyTwilioSignature(TOKEN, request([...form, ['Tag', 'b']], twilioSignature(TOKEN, PUBLIC, repeated)))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  test.each<[string, () => RawInboundRequest, string]>([
    ['signed for the internal URL', () => request(form, twilioSignature(TOKEN, 'http://internal:3000/channels/twilio?tenant=a%20b', form)), 'bad_signature'],
    ['signed without the query', () => request(form, twilioSignature(TOKEN, 'https://support.voltline.example/channels/twilio', form)), 'bad_signature'],
    ['a field changed after signing', () => request(form.map(([k, v]) => [k, k === 'Body' ? 'changed' : v]), twilioSignature(TOKEN, PUBLIC, form)), 'bad_signature'],
    ['a field added after signing', () => request([...form, ['MediaUrl2', 'https://evil.example/x']], twilioSignature(TOKEN, PUBLIC, form)), 'bad_signature'],
    ['another auth token', () => request(form, twilioSignature('another-token-0123456789abcdefgh', PUBLIC, form)), 'bad_signature'],
    ['no header', () => request(form, undefined), 'missing_signature'],
    ['an empty header', () => request(form, ''), 'missing_signature'],
    ['not base64 of 20 bytes', () => request(form, 'abc'), 'malformed_signature'],
  ])('%s is refused', (_name, build, reason) => {
    expect(verifyTwilioSignature(TOKEN, build())).toEqual({ ok: false, reason });
  });

  test('without an auth token nothing verifies (fail closed)', () => {
    expect(verifyTwilioSignature('', request(form, twilioSignature('', PUBLIC, form)))).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
