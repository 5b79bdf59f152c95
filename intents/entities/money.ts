import { entity, type EntityRecognizer } from './types.js';

const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', 'US$': 'USD', 'A$': 'AUD', 'C$': 'CAD' };
const WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^(usd|dollars?|bucks?)$/i, 'USD'],
  [/^(eur|euros?)$/i, 'EUR'],
  [/^(gbp|pounds?|quid)$/i, 'GBP'],
  [/^(jpy|yen)$/i, 'JPY'],
  [/^(cad)$/i, 'CAD'],
  [/^(aud)$/i, 'AUD'],
  [/^(chf)$/i, 'CHF'],
];
const AMOUNT = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?';
const UNIT = 'usd|eur|gbp|jpy|cad|aud|chf|dollars?|bucks?|euros?|pounds?|quid|yen';
const PREFIXED = new RegExp(`(US\\$|A\\$|C\\$|[$€£¥])\\s?(${AMOUNT})(?!\\d)|\\b(USD|EUR|GBP|JPY|CAD|AUD|CHF)\\s?(${AMOUNT})(?!\\d)`, 'gi');
const SUFFIXED = new RegExp(`(?<![\\d.,])(${AMOUNT})\\s?(${UNIT}|€)(?![\\p{L}])`, 'giu');

function currencyOf(unit: string): string | undefined {
  const symbol = SYMBOLS[unit.toUpperCase()] ?? SYMBOLS[unit];
  if (symbol !== undefined) return symbol;
  return WORDS.find(([pattern]) => pattern.test(unit))?.[1];
}

/** "49,99" (decimal comma) vs "1,299" (thousands): two digits after a comma is a decimal. */
function amountOf(raw: string): string {
  const decimalComma = /^\d+,\d{1,2}$/.test(raw);
  const n = Number(decimalComma ? raw.replace(',', '.') : raw.replace(/,/g, ''));
  return n.toFixed(2);
}

/** Sums of money with a currency symbol, code or word; value "49.99 USD". */
export function moneyRecognizer(): EntityRecognizer {
  return {
    type: 'money',
    find(text) {
      const found = [];
      for (const m of text.matchAll(PREFIXED)) {
        const unit = m[1] ?? m[3] ?? '';
        const amount = m[2] ?? m[4] ?? '';
        const currency = currencyOf(unit);
        if (currency !== undefined) found.push(entity('money', `${amountOf(amount)} ${currency}`, text, m.index, m.index + m[0].length, 0.95));
      }
      for (const m of text.matchAll(SUFFIXED)) {
        const currency = currencyOf(m[2] ?? '');
        if (currency !== undefined) found.push(entity('money', `${amountOf(m[1] ?? '')} ${currency}`, text, m.index, m.index + m[0].length, 0.9));
      }
      return found;
    },
  };
}
