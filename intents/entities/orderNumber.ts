import { entity, type EntityRecognizer } from './types.js';

// A whole word: no letter or digit may touch the match on either side ("A100234" is not "100234").
const before = '(?<![\\p{L}\\p{N}])';
const after = '(?![\\p{L}\\p{N}])';

/**
 * Order numbers by the shop's configured pattern (ORDER_NUMBER_PATTERN), matched as a whole word.
 * When the bot asked for an order number it also accepts lower case and spaced or dashed digits
 * ("ab 1234-5678"), because customers copy them from emails and phone keyboards.
 */
export function orderNumberRecognizer(pattern: string): EntityRecognizer {
  const strict = new RegExp(`${before}(?:${pattern})${after}`, 'gu');
  const lenient = new RegExp(`${before}(?:${pattern})${after}`, 'giu');
  const whole = new RegExp(`^(?:${pattern})$`, 'u');
  return {
    type: 'order_number',
    find(text, options) {
      const found = [...text.matchAll(strict)].map((m) => entity('order_number', m[0], text, m.index, m.index + m[0].length, 0.95));
      if (options.expecting !== 'order_number' || found.length > 0) return found;
      for (const m of text.matchAll(lenient)) found.push(entity('order_number', m[0].toUpperCase(), text, m.index, m.index + m[0].length, 0.8));
      if (found.length > 0) return found;
      // "100 234" or "AB-1234-5678": join runs of letters/digits split by spaces or dashes and retry.
      for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[ \-.][\p{L}\p{N}]+)*/gu)) {
        const joined = m[0].replace(/[ \-.]/g, '').toUpperCase();
        if (joined !== m[0].toUpperCase() && whole.test(joined)) found.push(entity('order_number', joined, text, m.index, m.index + m[0].length, 0.6));
      }
      return found;
    },
  };
}
