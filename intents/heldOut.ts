import type { NluEngine, OutOfScopeReason } from '../core/nlu.js';
import { OOS_LABEL } from './classifier/index.js';
import type { Confusion, IntentScores } from './evaluate.js';
import type { EvalSet, LabelledMessage } from './evalSet.js';
import type { IntentFile } from './schema.js';

/** A negative that started a flow: what it was taken for. */
export interface FalseStart {
  text: string;
  predicted: string;
  confidence: number;
  source: string;
}

export interface HeldOutReport {
  inDomain: number;
  negatives: number;
  /** In-domain messages whose deployed decision was their intent (a rejection counts as wrong). */
  accuracy: number;
  /** Share of in-domain messages rejected as out of scope. */
  inDomainRejected: number;
  /** Macro-F1 over the shop's intents on the in-domain messages (negatives count as "oos"). */
  macroF1: number;
  perIntent: IntentScores[];
  /** Share of negatives judged out of scope. */
  rejectionRate: number;
  /**
   * Share of negatives taken for an intent that starts a flow (orders, returns, devices,
   * accounts, payments, knowledge answers, hand-off): anything but out of scope and the small-talk
   * intents that only answer (greeting, thanks, goodbye) or confirm (affirm, deny).
   */
  falseStartRate: number;
  falseStarts: FalseStart[];
  /** Negatives per evaluation file (small talk, other domains, mash…): how many were rejected and how many started a flow. */
  negativeGroups: Array<{ file: string; messages: number; rejected: number; falseStarts: number }>;
  /** Out-of-scope reasons over all messages, negatives and in-domain. */
  reasons: Partial<Record<OutOfScopeReason, { negatives: number; inDomain: number }>>;
  confusions: Confusion[];
}

export interface HeldOutOptions {
  maxConfusions?: number;
  maxFalseStarts?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Intents whose recognition starts a flow, i.e. acts on or answers about the customer's business. */
export function flowIntents(intents: readonly IntentFile[]): Set<string> {
  return new Set(intents.filter((i) => i.name !== OOS_LABEL && i.flow !== undefined).map((i) => i.name));
}

/**
 * Classifies every held-out message with the deployed engine (the whole pipeline, rejection
 * included) and scores it. The engine must have been trained on the intent files only.
 */
export async function evaluateHeldOut(engine: NluEngine, intents: readonly IntentFile[], set: EvalSet, options: HeldOutOptions = {}): Promise<HeldOutReport> {
  const starts = flowIntents(intents);
  const all: LabelledMessage[] = [...set.inDomain, ...set.negatives];
  const predictions: Array<{ message: LabelledMessage; predicted: string; confidence: number; reason: OutOfScopeReason | null }> = [];
  for (const [i, message] of all.entries()) {
    const result = await engine.parse(message.text);
    predictions.push({ message, predicted: result.intent ?? OOS_LABEL, confidence: result.confidence, reason: result.outOfScope?.reason ?? null });
    if ((i + 1) % 250 === 0 || i + 1 === all.length) options.onProgress?.(i + 1, all.length);
  }
  const reasons: HeldOutReport['reasons'] = {};
  for (const p of predictions) {
    if (p.reason === null) continue;
    const entry = (reasons[p.reason] ??= { negatives: 0, inDomain: 0 });
    if (p.message.intent === OOS_LABEL) entry.negatives++;
    else entry.inDomain++;
  }
  const inDomain = predictions.filter((p) => p.message.intent !== OOS_LABEL);
  const negatives = predictions.filter((p) => p.message.intent === OOS_LABEL);
  const falseStarts = negatives.filter((p) => starts.has(p.predicted));
  const { perIntent, confusions } = labelScores(predictions.map((p) => ({ expected: p.message.intent, predicted: p.predicted, text: p.message.text })), options.maxConfusions ?? 10);
  const scored = perIntent.filter((s) => s.intent !== OOS_LABEL && s.support > 0);
  return {
    inDomain: inDomain.length,
    negatives: negatives.length,
    accuracy: share(inDomain.filter((p) => p.predicted === p.message.intent).length, inDomain.length),
    inDomainRejected: share(inDomain.filter((p) => p.predicted === OOS_LABEL).length, inDomain.length),
    macroF1: r(scored.reduce((s, x) => s + x.f1, 0) / Math.max(1, scored.length)),
    perIntent,
    rejectionRate: share(negatives.filter((p) => p.predicted === OOS_LABEL).length, negatives.length),
    falseStartRate: share(falseStarts.length, negatives.length),
    falseStarts: falseStarts
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, options.maxFalseStarts ?? 25)
      .map((p) => ({ text: p.message.text, predicted: p.predicted, confidence: r(p.confidence), source: p.message.source })),
    negativeGroups: groupNegatives(negatives.map((p) => ({ file: p.message.source.replace(/:\d+$/, ''), rejected: p.predicted === OOS_LABEL, falseStart: starts.has(p.predicted) }))),
    reasons,
    confusions,
  };
}

/** Precision, recall and F1 per label, and the most frequent confusions, from (expected, predicted) pairs. */
export function labelScores(pairs: ReadonlyArray<{ expected: string; predicted: string; text: string }>, maxConfusions = 10): { perIntent: IntentScores[]; confusions: Confusion[] } {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const support = new Map<string, number>();
  const confusion = new Map<string, Confusion>();
  const bump = (m: Map<string, number>, key: string): void => void m.set(key, (m.get(key) ?? 0) + 1);
  for (const { expected, predicted, text } of pairs) {
    bump(support, expected);
    if (expected === predicted) {
      bump(tp, expected);
      continue;
    }
    bump(fp, predicted);
    bump(fn, expected);
    const key = `${expected}\u0000${predicted}`;
    const entry = confusion.get(key) ?? { expected, predicted, count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(text);
    confusion.set(key, entry);
  }
  const labels = [...new Set([...support.keys(), ...fp.keys()])].sort();
  const perIntent = labels.map((intent) => {
    const t = tp.get(intent) ?? 0;
    const precision = t + (fp.get(intent) ?? 0) === 0 ? 0 : t / (t + (fp.get(intent) ?? 0));
    const recall = t + (fn.get(intent) ?? 0) === 0 ? 0 : t / (t + (fn.get(intent) ?? 0));
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, precision: r(precision), recall: r(recall), f1: r(f1), support: support.get(intent) ?? 0 };
  });
  const confusions = [...confusion.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)).slice(0, maxConfusions);
  return { perIntent, confusions };
}

function groupNegatives(rows: ReadonlyArray<{ file: string; rejected: boolean; falseStart: boolean }>): HeldOutReport['negativeGroups'] {
  const groups = new Map<string, { file: string; messages: number; rejected: number; falseStarts: number }>();
  for (const row of rows) {
    const group = groups.get(row.file) ?? { file: row.file, messages: 0, rejected: 0, falseStarts: 0 };
    group.messages++;
    if (row.rejected) group.rejected++;
    if (row.falseStart) group.falseStarts++;
    groups.set(row.file, group);
  }
  return [...groups.values()].sort((a, b) => a.file.localeCompare(b.file));
}

function share(n: number, total: number): number {
  return r(n / Math.max(1, total));
}

function r(n: number): number {
  return Math.round(n * 10000) / 10000;
}
