/**
 * Light normalisation shared by training and classification. It must stay cheap (it runs on every
 * message) and language-light: lower-casing, accents, English contractions, digits and a crude
 * suffix stemmer, so that "Where's my order?" and "where is my orders" share most features.
 */

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/\b(it|that|what|where|who|how|there|here|he|she|when|why)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** Lower-cases, folds accents and typographic apostrophes, expands contractions, maps digits to 0. */
export function normalizeText(text: string): string {
  let out = text.toLowerCase();
  if (/[^ -~\t]/.test(out)) {
    out = out.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2018\u2019\u02bc`´]/g, "'");
  }
  if (out.includes("'")) for (const [pattern, replacement] of CONTRACTIONS) out = out.replace(pattern, replacement);
  // Exact numbers rarely carry the intent ("order 12345" vs "order 98765"), their shape does.
  return out.replace(/[0-9]/g, '0');
}

/** Splits normalised text into word tokens (letters, digits, and inner apostrophes dropped). */
export function tokenize(normalized: string): string[] {
  // Plain lower-case ASCII (nearly every message) is split by char codes: the Unicode-aware regex
  // below was a noticeable share of the per-message time and gives the same tokens on it.
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < normalized.length; i++) {
    const code = normalized.charCodeAt(i);
    if (code > 0x7e) return normalized.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
    const word = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      tokens.push(normalized.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) tokens.push(normalized.slice(start));
  return tokens;
}

/**
 * A deliberately crude English suffix stripper: it only has to map inflections of one word to
 * the same key, never to produce a real stem. Short words are left alone because stripping them
 * merges unrelated words ("bus" / "bu").
 */
export function stem(token: string): string {
  if (token.length <= 3) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (token.endsWith('ing') && token.length > 5) return token.slice(0, -3);
  if (token.endsWith('ed') && token.length > 4) return token.slice(0, -2);
  if (token.endsWith('es') && token.length > 4 && /(sh|ch|x|ss)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !token.endsWith('ss') && !token.endsWith('us')) return token.slice(0, -1);
  return token;
}
