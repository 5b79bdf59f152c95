import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import { entity, type EntityRecognizer } from './types.js';

/** Phone numbers in any common format; the value is E.164. Numbers without a country code are read as `region`'s. */
export function phoneRecognizer(region: CountryCode = 'US'): EntityRecognizer {
  return {
    type: 'phone',
    find(text, options) {
      const found = findPhoneNumbersInText(text, { defaultCountry: region }).map((m) =>
        entity('phone', m.number.number, text, m.startsAt, m.endsAt, 0.9),
      );
      if (found.length > 0 || options.expecting !== 'phone') return found;
      // Asked for a phone, accept a possible-but-unassigned number rather than ask again.
      const loose = /\+?[\d(][\d\s().-]{6,}\d/g;
      for (const m of text.matchAll(loose)) {
        const numbers = findPhoneNumbersInText(m[0], { defaultCountry: region, extended: { v2: true } } as never);
        void numbers;
        const digits = m[0].replace(/\D/g, '');
        if (digits.length >= 7 && digits.length <= 15) {
          const value = m[0].trim().startsWith('+') ? `+${digits}` : digits;
          found.push(entity('phone', value, text, m.index, m.index + m[0].length, 0.5));
        }
      }
      return found;
    },
  };
}
