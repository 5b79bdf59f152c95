import { detectAll } from 'tinyld';

/** Below this, a short message's guess is noise ("ok", "thx", an order number). */
const MIN_ACCURACY = 0.3;

/**
 * The language of a message when it is confidently one of `candidates` (not English): the bot
 * then says, in that language, that it answers in English. The widget's locale alone is not
 * enough: people with a German browser write in English.
 */
export function foreignLanguage(text: string, candidates: ReadonlySet<string>): string | null {
  const letters = text.replace(/[^\p{L}\s]/gu, '').trim();
  if (letters.length < 6) return null;
  const best = detectAll(letters)[0];
  if (best === undefined || best.accuracy < MIN_ACCURACY) return null;
  return candidates.has(best.lang) ? best.lang : null;
}
