import * as chrono from 'chrono-node';
import { entity, type EntityRecognizer } from './types.js';

/**
 * Dates and relative dates ("yesterday", "last friday", "on March 3"); the value is an ISO date
 * (YYYY-MM-DD), or a full ISO timestamp when the customer gave a time. `now` is injectable so
 * that "tomorrow" is testable.
 */
export function dateRecognizer(now: () => Date = () => new Date()): EntityRecognizer {
  return {
    type: 'date',
    find(text) {
      const found = [];
      for (const result of chrono.parse(text, now())) {
        // A bare number ("100234", "2") is an order number or a count, not a date.
        if (/^\s*[\d.,]+\s*$/.test(result.text)) continue;
        // "help me now" asks for speed, not for a date.
        if (/^(right )?now$/i.test(result.text.trim())) continue;
        const date = result.start.date();
        const withTime = result.start.isCertain('hour');
        const value = withTime ? date.toISOString() : isoDay(result.start.get('year'), result.start.get('month'), result.start.get('day'));
        found.push(entity('date', value, text, result.index, result.index + result.text.length, result.start.isCertain('day') ? 0.9 : 0.7));
      }
      return found;
    },
  };
}

function isoDay(year: number | null, month: number | null, day: number | null): string {
  const pad = (n: number | null, w: number): string => String(n ?? 0).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
