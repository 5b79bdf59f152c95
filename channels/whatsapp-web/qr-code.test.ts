import { describe, expect, test } from 'vitest';
import { encodeQr, qrSvg } from './qr-code.js';

describe('the log-in QR code drawn on the admin page', () => {
  test.each([
    ['a short text', 'hello', 1],
    ['a WhatsApp Web log-in code (about 240 characters)', `2@${'A1b2C3d4/+'.repeat(12)},${'k'.repeat(44)},${'p'.repeat(44)},${'s'.repeat(24)},1`, 11],
  ])('%s gets the smallest version that holds it, with the three finder patterns in their corners', (_case, text, version) => {
    const qr = encodeQr(text);
    expect(qr.version).toBe(version);
    expect(qr.size).toBe(version * 4 + 17);
    const finder = (x0: number, y0: number) => Array.from({ length: 7 }, (_, y) => Array.from({ length: 7 }, (_, x) => (qr.dark(x0 + x, y0 + y) ? '#' : '.')).join(''));
    const expected = ['#######', '#.....#', '#.###.#', '#.###.#', '#.###.#', '#.....#', '#######'];
    expect(finder(0, 0)).toEqual(expected);
    expect(finder(qr.size - 7, 0)).toEqual(expected);
    expect(finder(0, qr.size - 7)).toEqual(expected);
  });

  test('the SVG carries the code only as module paths: the text never appears, quotes and tags included', () => {
    const svg = qrSvg('2@<script>alert("x")</script>&', 'Log-in code "A"');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('alert');
    expect(svg).toContain('aria-label="Log-in code &quot;A&quot;"');
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><rect [^>]*\/><path d="(M\d+,\d+h1v1h-1z)+" fill="#000000"\/><\/svg>$/);
  });
});
