import type { Verdict } from './classify.js';

/** The bench's one JSON line. */
export interface ConversationCounts {
  conversations: number;
  resolved: number;
  handedOff: number;
  wrong: number;
  stuck: number;
  /** (resolved + correctly handed off) / conversations, to three decimals. */
  resolutionRate: number;
}

/** Counts the verdicts and lists each failing conversation as `<kind> <id>: <reason>`. */
export function summarize(results: ReadonlyArray<{ id: string; verdict: Verdict }>): { counts: ConversationCounts; failures: string[] } {
  const count = (kind: Verdict['kind']) => results.filter((r) => r.verdict.kind === kind).length;
  const resolved = count('resolved');
  const handedOff = count('handedOff');
  const n = results.length;
  return {
    counts: {
      conversations: n,
      resolved,
      handedOff,
      wrong: count('wrong'),
      stuck: count('stuck'),
      resolutionRate: n === 0 ? 0 : Math.round(((resolved + handedOff) / n) * 1000) / 1000,
    },
    failures: results.filter((r) => r.verdict.kind === 'wrong' || r.verdict.kind === 'stuck').map((r) => `${r.verdict.kind} ${r.id}: ${r.verdict.reason}`),
  };
}
