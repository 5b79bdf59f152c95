import { entity, type EntityRecognizer } from './types.js';

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  a: 1, an: 1, single: 1, couple: 2, pair: 2, both: 2,
};
const COUNTED =
  'items?|units?|pieces?|pcs|pairs?|boxes?|packs?|of them|cameras?|cams?|plugs?|speakers?|headphones?|earbuds?|buds|routers?|nodes?|satellites?|thermostats?|sensors?|tvs?|laptops?|chargers?|cables?|adapters?|remotes?|gift cards?';
const DIGITS = new RegExp(`(?<![\\p{L}\\p{N}.,$€£])(\\d{1,3})\\s?(?:x\\s)?(${COUNTED})(?![\\p{L}])`, 'giu');
const WORDED = new RegExp(`\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|both)\\s(?:of\\s(?:the|my)\\s)?(${COUNTED})\\b`, 'gi');
const TIMES = /(?<![\p{L}\p{N}])(?:x\s?(\d{1,3})|(\d{1,3})\s?x)(?![\p{L}\p{N}])/giu;

/** How many of something: "2 cameras", "three items", "x3". Value is the count as digits. */
export function quantityRecognizer(): EntityRecognizer {
  return {
    type: 'quantity',
    find(text, options) {
      const found = [];
      for (const m of text.matchAll(DIGITS)) found.push(entity('quantity', String(Number(m[1])), text, m.index, m.index + m[0].length, 0.85));
      for (const m of text.matchAll(WORDED)) {
        const word = (m[1] ?? '').toLowerCase().replace('a couple of', 'couple');
        const n = NUMBER_WORDS[word];
        if (n !== undefined) found.push(entity('quantity', String(n), text, m.index, m.index + m[0].length, 0.8));
      }
      for (const m of text.matchAll(TIMES)) found.push(entity('quantity', String(Number(m[1] ?? m[2])), text, m.index, m.index + m[0].length, 0.6));
      if (options.expecting === 'quantity' && found.length === 0) {
        const bare = /^\s*(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s*$/i.exec(text);
        if (bare) {
          const word = (bare[1] ?? '').toLowerCase();
          const n = NUMBER_WORDS[word] ?? Number(word);
          found.push(entity('quantity', String(n), text, text.indexOf(bare[1]!), text.indexOf(bare[1]!) + bare[1]!.length, 0.7));
        }
      }
      return found;
    },
  };
}
