/**
 * The carrier keywords of SMS (CTIA, and Twilio's own opt-out handling), recognised only as a
 * whole message: trimmed, case-insensitive, trailing punctuation ignored ("Stop!", " stop ").
 * "Stop texting me" is a sentence, not a keyword, and goes to the bot.
 *
 * CANCEL and YES are also words customers type in flows. The opt-out words are honoured
 * whatever the conversation was doing: carriers require it and a missed STOP is worse than an
 * interrupted flow (the customer types "no" or the option's number to decline instead). An
 * opt-in word only opts in a number that is opted out; from anyone else "yes" is an answer and
 * goes to the bot.
 */
export type SmsKeyword = { kind: 'opt_out'; word: string } | { kind: 'opt_in'; word: string } | { kind: 'help'; word: string };

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export function smsKeyword(body: string): SmsKeyword | null {
  const word = body.normalize('NFKC').trim().replace(/[.!?]+$/, '').trim().toUpperCase();
  if (OPT_OUT.has(word)) return { kind: 'opt_out', word };
  if (OPT_IN.has(word)) return { kind: 'opt_in', word };
  if (HELP.has(word)) return { kind: 'help', word };
  return null;
}
