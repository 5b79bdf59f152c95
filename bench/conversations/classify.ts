import type { ConversationOutcome } from '../../test/conversation-outcome.js';
import type { CorpusConversation, Expectation, HandoffReason, Task } from './corpus.js';

/** Which flows of the engine count as doing a task. Both today's names and the split ones issue #10 plans. */
export const FLOWS_FOR_TASK: Readonly<Record<Task, readonly string[]>> = {
  order_status: ['order_status'],
  return: ['returns', 'return'],
  exchange: ['returns', 'exchange'],
  refund_status: ['refund_status'],
  order_cancel: ['order_change', 'order_cancel'],
  address_change: ['order_change', 'order_address_change', 'address_change'],
  troubleshooting: ['troubleshooting'],
  warranty: ['warranty'],
  payment: ['payment'],
  account: ['account', 'password_reset'],
  delivery_problem: ['delivery_problem'],
};

/** How a hand-off reason is recognised in what the bot recorded (its reason and the issue type it triaged). */
export const HANDOFF_REASON_PATTERNS: Readonly<Record<HandoffReason, RegExp>> = {
  customer_asked: /customer_asked|human|person|agent/i,
  complaint: /complaint/i,
  missing_parcel: /parcel|missing|lost|trace|delivery/i,
  troubleshooting_unresolved: /troubleshoot|not resolved|unresolved/i,
  repair: /repair|warranty/i,
  order_change_review: /address|order_change/i,
  human_only_intent: /human_only_intent/,
  frustration: /frustration/,
  misunderstood: /misunderstood/,
};

/** Flows that answer or hand over rather than do something with the customer's records. */
const NON_TRANSACTIONAL = new Set(['knowledge', 'handoff']);

export type VerdictKind = 'resolved' | 'handedOff' | 'wrong' | 'stuck';

export interface Verdict {
  kind: VerdictKind;
  /** One line: what went wrong, or what was reached. */
  reason: string;
}

/** What a run of one conversation left behind. */
export interface ConversationRun {
  outcome: ConversationOutcome;
  /** The bot's replies to each customer message, as one string per message. */
  repliesPerTurn: string[];
  /** The run could not go on (a button that wasn't offered, an error): why. */
  interrupted: string | null;
}

/**
 * Classifies one conversation against its expectations:
 * - **resolved / handedOff**: every expectation met, nothing in `never` said, no hand-off that
 *   wasn't expected (handedOff when one of the expectations is a hand-off);
 * - **wrong**: the bot reached an outcome, but not the expected one (another flow ran or
 *   finished, an unexpected hand-off, a wrong answer, a flow started on text not about it);
 * - **stuck**: no outcome within the turns: it repeated itself, kept asking, or stopped answering.
 */
export function classify(conversation: CorpusConversation, run: ConversationRun): Verdict {
  const { outcome } = run;
  const said = outcome.botSaid;
  for (const pattern of conversation.never ?? []) {
    const hit = said.find((s) => new RegExp(pattern, 'i').test(s));
    if (hit !== undefined) return { kind: 'wrong', reason: `said what it must not (/${pattern}/): "${snippet(hit)}"` };
  }
  const expectsHandoff = conversation.expect.some((e) => 'handed_off' in e);
  if (outcome.handoff !== null && !expectsHandoff) {
    return { kind: 'wrong', reason: `handed off (${outcome.handoff.reason}) instead of ${describe(conversation.expect)}` };
  }
  const unmet = conversation.expect.map((e) => unmetReason(e, outcome)).filter((r): r is string => r !== null);
  if (unmet.length === 0 && run.interrupted === null) {
    return expectsHandoff ? { kind: 'handedOff', reason: 'handed off as expected' } : { kind: 'resolved', reason: 'as expected' };
  }
  if (run.interrupted !== null) return { kind: 'stuck', reason: run.interrupted };

  const expectedFlows = new Set(conversation.expect.flatMap((e) => ('resolved' in e ? e.resolved.flatMap((t) => FLOWS_FOR_TASK[t]) : 'stopped' in e ? FLOWS_FOR_TASK[e.stopped] : [])));
  const strayFlow = outcome.flows.find((f) => !NON_TRANSACTIONAL.has(f.flow) && !expectedFlows.has(f.flow));
  if (strayFlow !== undefined) return { kind: 'wrong', reason: `ran ${strayFlow.flow} (${strayFlow.ending}); expected ${describe(conversation.expect)}: ${unmet[0]}` };
  if (reachedOutcome(outcome)) return { kind: 'wrong', reason: unmet[0] ?? 'expectation not met' };
  const repeated = repetition(run.repliesPerTurn);
  if (repeated !== null) return { kind: 'stuck', reason: `repeated itself: "${snippet(repeated)}"; ${unmet[0]}` };
  return { kind: 'stuck', reason: `no outcome within ${run.repliesPerTurn.length} turns; ${unmet[0]}` };
}

/** Null when the expectation is met, else why not. */
function unmetReason(expectation: Expectation, outcome: ConversationOutcome): string | null {
  const said = outcome.botSaid;
  const missing = (patterns: readonly string[] | undefined): string | undefined => patterns?.find((p) => !said.some((s) => new RegExp(p, 'i').test(s)));
  if ('resolved' in expectation) {
    const flows = expectation.resolved.flatMap((t) => FLOWS_FOR_TASK[t]);
    if (!outcome.flows.some((f) => flows.includes(f.flow) && f.ending === 'resolved')) {
      return `${expectation.resolved.join(' or ')} not resolved (${flowSummary(outcome)})`;
    }
    const absent = missing(expectation.says);
    return absent === undefined ? null : `${expectation.resolved.join(' or ')} resolved, but no reply said /${absent}/`;
  }
  if ('stopped' in expectation) {
    const flows = FLOWS_FOR_TASK[expectation.stopped];
    if (!outcome.flows.some((f) => flows.includes(f.flow) && f.ending === 'abandoned')) return `${expectation.stopped} not stopped (${flowSummary(outcome)})`;
    const absent = missing(expectation.says);
    return absent === undefined ? null : `${expectation.stopped} stopped, but no reply said /${absent}/`;
  }
  if ('handed_off' in expectation) {
    const reasons = expectation.handed_off.join(' or ');
    if (outcome.handoff === null) return `not handed off (${flowSummary(outcome)}); expected ${reasons}`;
    const why = `${outcome.handoff.reason} ${outcome.handoff.issueType ?? ''}`;
    if (!expectation.handed_off.some((r) => HANDOFF_REASON_PATTERNS[r].test(why))) return `handed off for "${outcome.handoff.reason}", expected ${reasons}`;
    const absent = missing(expectation.says);
    return absent === undefined ? null : `handed off, but no reply said /${absent}/`;
  }
  if ('answered' in expectation) {
    return missing([expectation.answered]) === undefined ? null : `no reply answered /${expectation.answered}/ (${flowSummary(outcome)})`;
  }
  const started = outcome.flows.find((f) => !NON_TRANSACTIONAL.has(f.flow));
  if (started !== undefined) return `started ${started.flow} on text that is not about it`;
  return missing([expectation.refused]) === undefined ? null : `no reply declined with /${expectation.refused}/`;
}

/** A flow came to an end, a person took over, or an answer was given from the knowledge base. */
function reachedOutcome(outcome: ConversationOutcome): boolean {
  return outcome.handoff !== null || outcome.flows.some((f) => f.flow === 'knowledge' || (f.ending !== 'open' && f.ending !== 'abandoned'));
}

/** The same reply to two messages in a row, or to three messages in all. */
function repetition(replies: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i] ?? '';
    if (reply === '') continue;
    if (i > 0 && replies[i - 1] === reply) return reply;
    const n = (counts.get(reply) ?? 0) + 1;
    if (n >= 3) return reply;
    counts.set(reply, n);
  }
  return null;
}

function describe(expectations: readonly Expectation[]): string {
  return expectations
    .map((e) => ('resolved' in e ? `${e.resolved.join('/')} resolved` : 'stopped' in e ? `${e.stopped} stopped` : 'handed_off' in e ? `hand-off (${e.handed_off.join('/')})` : 'answered' in e ? 'an answer' : 'a refusal'))
    .join(' + ');
}

function flowSummary(outcome: ConversationOutcome): string {
  return outcome.flows.map((f) => `${f.flow}:${f.ending}`).join(', ') || 'no flow';
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 90 ? `${line.slice(0, 87)}...` : line;
}
