import { SegmentedMessage } from 'sms-segments-calculator';

/** How many characters (code units of the encoding) one SMS may carry. */
export const SMS_LIMITS = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const;
export type SmsEncoding = keyof typeof SMS_LIMITS;

export interface SmsPartsOptions {
  /** SMS_MAX_PARTS: the most messages one reply may become. */
  maxParts: number;
  /** Where the whole answer can be read when it does not fit (PUBLIC_URL/help). */
  moreUrl: string;
}

/** GSM-7 unless a character needs UCS-2 (an emoji, Arabic, most accents): then every part is UCS-2. */
export function smsEncoding(text: string): SmsEncoding {
  return new SegmentedMessage(text).encodingName;
}

/** Code units `text` takes in `encoding`: GSM-7 counts `{ } [ ] ~ ^ € | \` twice, UCS-2 counts an emoji twice. */
export function smsUnits(text: string, encoding: SmsEncoding): number {
  const message = new SegmentedMessage(text, encoding);
  return encoding === 'GSM-7' ? message.messageSize / 7 : message.messageSize / 16;
}

/**
 * A reply as the SMS it becomes. Whole when it fits one message (160 GSM-7 / 70 UCS-2
 * characters); otherwise split on sentence and line boundaries (a numbered list keeps a line per
 * option) into parts of at most 153 / 67, the size of a part of a concatenated SMS, so a
 * handset shows each part whole. Words longer than a part are cut, never dropped. Past
 * `maxParts` the answer is shortened at a sentence and ends with the link to the help page, so
 * a customer never gets a wall of texts (or a bill) for one answer.
 */
export function smsParts(text: string, options: SmsPartsOptions): string[] {
  const body = text.trim();
  if (body === '') return [];
  const encoding = smsEncoding(body);
  const limits = SMS_LIMITS[encoding];
  const units = (s: string) => smsUnits(s, encoding);
  if (units(body) <= limits.single) return [body];
  const pieces = sentencesOf(body).flatMap((piece) => fitPiece(piece, limits.perPart, units));
  const all = pack(pieces, Array<number>(pieces.length).fill(limits.perPart), units);
  if (all.parts.length <= options.maxParts) return all.parts;
  const suffix = `More: ${options.moreUrl}`;
  const capacities = Array<number>(options.maxParts).fill(limits.perPart);
  capacities[options.maxParts - 1] = limits.perPart - units(` ${suffix}`);
  const parts = pack(pieces, capacities, units).parts.slice(0, options.maxParts);
  // The last part was packed with room for the link; when nothing fitted there, the link is a part of its own.
  if (parts.length === options.maxParts) parts[parts.length - 1] = `${parts[parts.length - 1]} ${suffix}`;
  else parts.push(suffix);
  return parts;
}

/** A piece of text and what separated it from the one before: a line break or a space. */
interface Piece {
  text: string;
  breakBefore: '\n' | ' ';
}

/** Sentences end at . ! ? (not after a digit: "1. Track my order" is a list item) and at line breaks. */
function sentencesOf(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const [i, line] of text.split(/\n+/).entries()) {
    const sentences = line.split(/(?<=[^\d\s][.!?])\s+/).filter((s) => s.trim() !== '');
    for (const [j, sentence] of sentences.entries()) pieces.push({ text: sentence.trim(), breakBefore: i > 0 && j === 0 ? '\n' : ' ' });
  }
  return pieces;
}

/** A sentence longer than a part, cut at spaces, and a word longer than a part cut at characters. */
function fitPiece(piece: Piece, limit: number, units: (s: string) => number): Piece[] {
  if (units(piece.text) <= limit) return [piece];
  const out: Piece[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') out.push({ text: current, breakBefore: out.length === 0 ? piece.breakBefore : ' ' });
    current = '';
  };
  for (const word of piece.text.split(/\s+/)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (units(candidate) <= limit) {
      current = candidate;
      continue;
    }
    flush();
    if (units(word) <= limit) {
      current = word;
      continue;
    }
    for (const char of Array.from(word)) {
      if (units(current + char) > limit) flush();
      current += char;
    }
  }
  flush();
  return out;
}

/** Greedy: each part takes pieces while they fit its capacity; stops when the capacities run out. */
function pack(pieces: readonly Piece[], capacities: readonly number[], units: (s: string) => number): { parts: string[] } {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const capacity = capacities[parts.length];
    if (capacity === undefined) break;
    const candidate = current === '' ? piece.text : `${current}${piece.breakBefore}${piece.text}`;
    if (units(candidate) <= capacity) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = '';
    if (parts.length >= capacities.length) break;
    if (units(piece.text) <= (capacities[parts.length] ?? 0)) current = piece.text;
    else break;
  }
  if (current !== '' && parts.length < capacities.length) parts.push(current);
  return { parts };
}
