import { entity, type EntityRecognizer } from './types.js';

// A whole word: no letter or digit may touch the match on either side ("A100234" is not "100234").
const before = '(?<![\\p{L}\\p{N}])';
const after = '(?![\\p{L}\\p{N}])';
const SAYS_ORDER = /\border\b/i;

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
      // Lenient only when asked for one, or when the customer says it is one ("order number 100 234").
      if (found.length > 0 || (options.expecting !== 'order_number' && !SAYS_ORDER.test(text))) return found;
      if (options.expecting === 'order_number') {
        for (const m of text.matchAll(lenient)) found.push(entity('order_number', m[0].toUpperCase(), text, m.index, m.index + m[0].length, 0.8));
        if (found.length > 0) return found;
      }
      // "100 234" or "AB-1234-5678": join neighbouring chunks split by spaces or dashes and retry.
      const chunks = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
      const joins = (a: number, b: number) => /^[ \-.]$/.test(text.slice(chunks[a]!.index + chunks[a]![0].length, chunks[b]!.index));
      const digits = (k: number) => k >= 0 && k < chunks.length && /^\d+$/.test(chunks[k]![0]);
      for (let i = 0; i < chunks.length; i++) {
        // Only a whole run of digit groups: "415 555" inside "+1 415 555 0101" is part of a phone.
        if (digits(i - 1) && joins(i - 1, i)) continue;
        let joined = chunks[i]![0];
        for (let j = i + 1; j < chunks.length && j < i + 6; j++) {
          if (!joins(j - 1, j)) break;
          joined += chunks[j]![0];
          if (whole.test(joined.toUpperCase()) && !(digits(j + 1) && joins(j, j + 1))) {
            const start = chunks[i]!.index;
            found.push(entity('order_number', joined.toUpperCase(), text, start, chunks[j]!.index + chunks[j]![0].length, 0.6));
            i = j;
            break;
          }
        }
      }
      return found;
    },
  };
}
