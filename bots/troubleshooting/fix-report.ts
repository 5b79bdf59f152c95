/**
 * How customers report a step's result in their own words, on channels without buttons:
 * "ok unplugged it and waited, it works now", "tried that, still nothing", "no luck".
 * Read before the classifier's yes/no, because the words around the verdict ("charging it
 * overnight", "restarted the modem") otherwise sound like other intents.
 */
export type FixReport = 'fixed' | 'not_fixed';

// A failure word wins over a success word: "nothing works", "still not working", "it stopped working".
const NOT_FIXED = [
  /\bstill\b/,
  /\bno (luck|change|difference|joy|dice|good)\b/,
  /\b(didn'?t|did not|doesn'?t|does not|don'?t|won'?t|can'?t|cannot|isn'?t|is not|aren'?t|wasn'?t|hasn'?t|haven'?t)\b/,
  /\bnot (working|fixed|helping|connecting|really|yet|at all)\b/,
  /\b(nothing|nope|nah|dead|worse|same (problem|issue|thing|as before))\b/,
  /\bstopped (working|responding|charging|connecting)\b/,
  /^no\b/,
  /\b(no|never) (internet|sound|picture|light|signal|power|heat|connection)\b/,
];

const FIXED = [
  /\b(it|they|that|this|everything|all) (works?|worked|is working|are working)\b/,
  /\bworks?( now| again| fine| perfectly)?[.!]*$/,
  /\b(working|online|back|connected|paired|fast|fine|good|normal|stable|on) (again|now)\b/,
  /\b(that|which|this|it) (fixed|solved|did) it\b/,
  /\b(fixed|solved|resolved|sorted)\b/,
  /\b(it'?s|its|is|it is|they'?re|are) back\b/,
  /\bback (online|on|to normal)\b/,
  /\b(came|come|comes) back\b/,
  /\b(seems|looks|is|it'?s|much|way|a lot) (stable|better|fine|ok|okay|good)\b/,
  /\b(connected|paired|booted|boots|started|turns on|turned on|heats|heating works)\b/,
  /\bstopped (cutting|dropping|freezing|crackling|buzzing|disconnecting)\b/,
  /\bno more (freezing|dropping|drops|crackling|cutting out|problems?|issues?)\b/,
  /\b(is|it'?s|are) gone\b/,
  /\bup to date\b/,
  /\b(charges?|charging|connects?|connecting|pairs?|pairing|plays?|playing|streams?|streaming|records?|recording) (now|again|fine|properly|normally)\b/,
];

/**
 * "they're in the case and charged", "done that already": the step was carried out and nothing
 * says it helped, so the walk goes on to the next step instead of leaving the customer stuck.
 */
const TRIED_IT = [
  /\b(they'?re|they are|it'?s|it is|i'?ve|i have|already)\b.*\b(charged|plugged in|restarted|rebooted|reset|updated|unplugged|in the case)\b/,
  /^(ok(ay)? )?(already )?(done|did|tried)( that| it| this)?( already)?[.!]*$/,
];

/** True for a message that asks something, or asks for a person, rather than reporting a result. */
function notAReport(said: string): boolean {
  return (
    /\?\s*$/.test(said) ||
    /^(is|are|can|could|do|does|how|what|when|where|why|will|would|which|should)\b/.test(said) ||
    /\b(human|person|agent|someone|representative|real people)\b/.test(said)
  );
}

/** The result a customer typed for the step just tried, or null when the message reports none. */
export function readFixReport(typed: string): FixReport | null {
  const said = typed.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
  if (said === '' || notAReport(said)) return null;
  if (NOT_FIXED.some((p) => p.test(said))) return 'not_fixed';
  if (FIXED.some((p) => p.test(said))) return 'fixed';
  if (TRIED_IT.some((p) => p.test(said))) return 'not_fixed';
  return null;
}
