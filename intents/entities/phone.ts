import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { entity, type EntityRecognizer } from './types.js';

/** Phone numbers in any common format; the value is E.164. Numbers without a country code are read as `region`'s. */
export function phoneRecognizer(region: CountryCode = 'US'): EntityRecognizer {
  return {
    type: 'phone',
    find(text, options) {
      // No phone number has fewer than 5 digits; most messages have none, and the parser is the slowest step.
      if ((text.match(/\d/g)?.length ?? 0) < 5) return [];
      const found = findPhoneNumbersInText(text, { defaultCountry: region }).map((m) =>
        entity('phone', m.number.number, text, m.startsAt, m.endsAt, 0.9),
      );
      if (found.length > 0 || options.expecting !== 'phone') return found;
      // Asked for a phone: accept a number of a possible length even if it is not a valid assigned one.
      for (const m of text.matchAll(/\+?[\d(][\d\s().-]{5,}\d/g)) {
        const parsed = parsePhoneNumberFromString(m[0], region);
        if (parsed?.isPossible()) found.push(entity('phone', parsed.number, text, m.index, m.index + m[0].length, 0.5));
      }
      return found;
    },
  };
}
