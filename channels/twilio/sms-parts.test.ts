import { describe, expect, test } from 'vitest';
import { SMS_LIMITS, smsEncoding, smsParts, smsUnits } from './sms-parts.js';

const MORE = 'https://support.voltline.example/help';
const sentence = (i: number) => `Step ${i}: unplug the camera, wait ten seconds and plug it back in.`;
const gsm900 = Array.from({ length: 14 }, (_, i) => sentence(i + 1)).join(' ').slice(0, 900);
const ucs900 = Array.from({ length: 20 }, (_, i) => `الخطوة ${i + 1}: افصل الكاميرا وانتظر عشر ثوان ثم أعد توصيلها 📷.`).join(' ').slice(0, 900);
const words = (text: string) => text.replace(/More: \S+$/, '').split(/\s+/).filter((w) => w !== '');

describe('splitting a reply into SMS', () => {
  test.each([
    ['GSM-7', gsm900],
    ['UCS-2', ucs900],
  ] as const)('a 900-character %s answer becomes parts within the per-part limit, split between sentences, in order', (encoding, text) => {
    expect(text).toHaveLength(900);
    expect(smsEncoding(text)).toBe(encoding);
    const parts = smsParts(text, { maxParts: 10, moreUrl: MORE });
    for (const part of parts) expect(smsUnits(part, encoding), part).toBeLessThanOrEqual(SMS_LIMITS[encoding].perPart);
    expect(parts.length).toBeLessThanOrEqual(10);
    if (parts.length < 10 || !parts.at(-1)!.endsWith(MORE)) {
      // Nothing lost: every word, in order.
      expect(parts.flatMap(words)).toEqual(words(text));
    }
    // Sentences are kept whole where they fit: no part but the last ends mid-sentence on GSM-7.
    if (encoding === 'GSM-7') for (const part of parts.slice(0, -1)) expect(part).toMatch(/[.!?]$/);
  });

  test.each([
    ['GSM-7', gsm900],
    ['UCS-2', ucs900],
  ] as const)('past SMS_MAX_PARTS a %s answer is shortened at a sentence and links to the help page', (encoding, text) => {
    const parts = smsParts(text, { maxParts: 3, moreUrl: MORE });
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(smsUnits(part, encoding), part).toBeLessThanOrEqual(SMS_LIMITS[encoding].perPart);
    expect(parts.at(-1)).toMatch(new RegExp(`More: ${MORE.replace(/[./]/g, '\\$&')}$`));
    // What is kept is the start of the answer, word for word.
    const kept = parts.flatMap(words);
    expect(words(text).slice(0, kept.length)).toEqual(kept);
  });

  test.each([
    ['a GSM-7 text of 160 characters', 'a'.repeat(160), 1],
    ['a GSM-7 text of 161 characters', `${'a'.repeat(80)}. ${'b'.repeat(79)}`, 2],
    ['a UCS-2 text of 70 characters', `${'ب'.repeat(69)}!`, 1],
    ['an emoji counting twice in UCS-2', `${'😀'.repeat(35)} ok`, 2],
    ['GSM-7 extension characters counting twice', `${'{'.repeat(81)}`, 2],
  ])('%s: one message when it fits 160 / 70, else parts', (_name, text, count) => {
    const parts = smsParts(text, { maxParts: 6, moreUrl: MORE });
    expect(parts).toHaveLength(count);
    const encoding = smsEncoding(text);
    const limit = count === 1 ? SMS_LIMITS[encoding].single : SMS_LIMITS[encoding].perPart;
    for (const part of parts) expect(smsUnits(part, encoding)).toBeLessThanOrEqual(limit);
  });

  test('a numbered list keeps one option per line, never splitting "1." from its option', () => {
    const list = ['Which order?', ...Array.from({ length: 8 }, (_, i) => `${i + 1}. 10023${i} placed on March ${i + 3}, 2 items, shipped by UPS`)].join('\n');
    const parts = smsParts(list, { maxParts: 6, moreUrl: MORE });
    for (const part of parts) for (const line of part.split('\n').slice(1)) expect(line).toMatch(/^\d\. 10023\d /);
    expect(parts.join('\n')).toBe(list);
  });

  test('empty text is no message', () => {
    expect(smsParts('   ', { maxParts: 6, moreUrl: MORE })).toEqual([]);
  });
});
