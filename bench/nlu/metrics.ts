import type { LabelledRow } from './dataset.js';

export const OOS = 'oos';

/** What one system predicted for one test row. */
export interface Prediction {
  /** Top in-scope intent with rejection off. */
  closed: string | null;
  /** The deployed decision; null means out of scope. */
  deployed: string | null;
}

export interface QualityFigures {
  accuracy: number;
  closedAccuracy: number;
  macroF1: number;
  oosRecall?: number;
  oosPrecision?: number;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/**
 * accuracy: in-scope rows decided as the right intent (rejection on); closedAccuracy: top in-scope
 * intent right (rejection off); macroF1 over the gold classes of the test set, `oos` included, with a
 * rejection counted as predicting `oos`.
 */
export function scorePredictions(rows: readonly LabelledRow[], predictions: readonly Prediction[]): QualityFigures {
  let inScope = 0;
  let correct = 0;
  let closedCorrect = 0;
  let oosRows = 0;
  let oosCaught = 0;
  let rejected = 0;
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const gold = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  rows.forEach((row, i) => {
    const p = predictions[i]!;
    const decided = p.deployed ?? OOS;
    bump(gold, row.intent);
    bump(predicted, decided);
    if (decided === row.intent) bump(tp, decided);
    if (p.deployed === null) rejected++;
    if (row.intent === OOS) {
      oosRows++;
      if (p.deployed === null) oosCaught++;
    } else {
      inScope++;
      if (p.deployed === row.intent) correct++;
      if (p.closed === row.intent) closedCorrect++;
    }
  });
  let f1Sum = 0;
  for (const [label, count] of gold) {
    const t = tp.get(label) ?? 0;
    const precision = t === 0 ? 0 : t / predicted.get(label)!;
    const recall = t / count;
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  const figures: QualityFigures = {
    accuracy: round(correct / Math.max(inScope, 1)),
    closedAccuracy: round(closedCorrect / Math.max(inScope, 1)),
    macroF1: round(f1Sum / gold.size),
  };
  if (oosRows > 0) {
    figures.oosRecall = round(oosCaught / oosRows);
    figures.oosPrecision = round(rejected === 0 ? 0 : oosCaught / rejected);
  }
  return figures;
}
