import Sentiment from 'sentiment';
import type { Sentiment as SentimentResult } from '../../core/nlu.js';

const afinn = new Sentiment();

/** Words and phrases that say "I have been through this before" — the handoff policy's real signal. */
const FRUSTRATION_CUES: ReadonlyArray<[RegExp, number]> = [
  [/\b(second|third|fourth|fifth|\d+(st|nd|rd|th)) time\b/i, 0.35],
  [/\bhow many times\b/i, 0.35],
  [/\b(again|still|yet again|once more)\b/i, 0.15],
  [/\b(already (told|asked|explained|sent|called|wrote))\b/i, 0.3],
  [/\b(useless|ridiculous|unacceptable|pathetic|joke|worst|terrible|horrible|awful|disgusting|incompetent)\b/i, 0.3],
  [/\b(fed up|sick of|tired of|waste of (my )?time|had enough|done with)\b/i, 0.35],
  [/\b(nobody|no one|never) (answers?|replies?|responds?|helps?|got back)\b/i, 0.3],
  [/\b(every (single )?time|keeps? (happening|failing|breaking|dropping|going))\b/i, 0.2],
  [/\b(wtf|omg|seriously|come on)\b/i, 0.2],
  [/\b(refund me now|cancel everything|lawyer|chargeback|report you)\b/i, 0.3],
];

/** Shouting: at least two all-caps words of 2+ letters, or most of a short message in caps. */
function capsShare(text: string): number {
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  if (words.length === 0) return 0;
  const caps = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase() && w.length >= 2 && !/^(OK|TV|ID|US|UK|EU|PC)$/.test(w));
  if (caps.length < 2 && !(caps.length === 1 && words.length === 1 && caps[0]!.length >= 4)) return 0;
  return caps.length / words.length;
}

/**
 * Sentiment from the AFINN-165 lexicon (score squashed into -1..1) and a frustration estimate
 * from cues a lexicon misses: shouting, "!!!", "third time", "useless", repeated complaints.
 */
export function analyzeSentiment(text: string): SentimentResult {
  const lexical = afinn.analyze(text);
  const score = Math.tanh(lexical.score / 5);
  let frustration = Math.max(0, -score) * 0.35;
  const caps = capsShare(text);
  if (caps > 0) frustration += 0.15 + 0.25 * caps;
  const bangs = (text.match(/!/g) ?? []).length;
  if (bangs >= 2 || /[?!]{2,}/.test(text)) frustration += Math.min(0.3, 0.1 * bangs);
  let cueHits = 0;
  for (const [pattern, weight] of FRUSTRATION_CUES) {
    if (pattern.test(text)) {
      frustration += weight;
      cueHits++;
    }
  }
  // Several distinct cues in one message is a complaint repeated, not one angry word.
  if (cueHits >= 3) frustration += 0.1;
  return { score: round(score), frustration: round(Math.min(1, frustration)) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
