import { OOS_LABEL, type RejectionPolicy } from './model.js';

/**
 * Learns the out-of-scope policy from scores on held-out training examples (never a test set):
 * a softmax temperature (by likelihood) and the low-confidence / ambiguous-margin thresholds.
 *
 * The one default for every dataset is a budget, not a threshold: give up at most
 * REJECT_BUDGET of the held-out messages the model got right, and within that budget reject as
 * many wrong or out-of-scope ones as possible (a wrong top intent looks like an unknown one).
 */
export const REJECT_BUDGET = 0.01;
/** Two intents closer than this are never a decision, whatever the data says. */
export const MIN_MARGIN_FLOOR = 0.02;
export const FALLBACK_POLICY: RejectionPolicy = { temperature: 0.2, minConfidence: 0.2, minMargin: MIN_MARGIN_FLOOR };
const MIN_HELD_OUT = 20;

export interface HeldOutScores {
  /** Logits per held-out example, `classes` numbers each. */
  logits: Float64Array;
  gold: Int32Array;
}

/** `rejectBudget`: the share of right held-out answers the thresholds may give up (default REJECT_BUDGET). */
export function fitPolicy(labels: readonly string[], held: HeldOutScores, rejectBudget: number = REJECT_BUDGET): RejectionPolicy {
  const classes = labels.length;
  const n = held.gold.length;
  if (n < MIN_HELD_OUT || classes < 2) return FALLBACK_POLICY;
  const oos = labels.indexOf(OOS_LABEL);
  const temperature = fitTemperature(held, classes);
  // Per example: top class, its probability, margin to the second.
  const topClass = new Int32Array(n);
  const topProb = new Float64Array(n);
  const margin = new Float64Array(n);
  const probs = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    softmax(held.logits, i * classes, classes, temperature, probs);
    let a = 0;
    for (let c = 1; c < classes; c++) if (probs[c]! > probs[a]!) a = c;
    let second = 0;
    for (let c = 0; c < classes; c++) if (c !== a && probs[c]! > second) second = probs[c]!;
    topClass[i] = a;
    topProb[i] = probs[a]!;
    margin[i] = probs[a]! - second;
  }
  let inScopeRight = 0;
  for (let i = 0; i < n; i++) if (held.gold[i] !== oos && topClass[i] === held.gold[i]) inScopeRight++;
  const budget = Math.floor(rejectBudget * inScopeRight);
  let best = { minConfidence: 0, minMargin: MIN_MARGIN_FLOOR, caught: -1 };
  for (let mc = 0; mc <= 90; mc += 2) {
    for (let mm = MIN_MARGIN_FLOOR * 100; mm <= 40; mm += 2) {
      const minConfidence = mc / 100;
      const minMargin = mm / 100;
      let lost = 0;
      let caught = 0;
      for (let i = 0; i < n; i++) {
        if (topClass[i] === oos) continue;
        const rejected = topProb[i]! < minConfidence || margin[i]! < minMargin;
        if (!rejected) continue;
        if (held.gold[i] !== oos && topClass[i] === held.gold[i]) lost++;
        else caught++;
      }
      if (lost <= budget && caught > best.caught) best = { minConfidence, minMargin, caught };
    }
  }
  return { temperature, minConfidence: best.minConfidence, minMargin: best.minMargin };
}

function softmax(logits: Float64Array, at: number, classes: number, temperature: number, out: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) if (logits[at + c]! > max) max = logits[at + c]!;
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const e = Math.exp((logits[at + c]! - max) / temperature);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < classes; c++) out[c] = out[c]! / sum;
  return sum;
}

/** exp(-x) for x beyond this is below half an ulp of a softmax sum (≥ 1): adding it changes nothing. */
const NEGLIGIBLE_EXPONENT = 46;

/** The temperature with the best held-out log-likelihood, on a geometric grid. */
function fitTemperature(held: HeldOutScores, classes: number): number {
  const n = held.gold.length;
  const max = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (held.logits[i * classes + c]! > m) m = held.logits[i * classes + c]!;
    max[i] = m;
  }
  let best = { temperature: FALLBACK_POLICY.temperature, nll: Infinity };
  for (let temperature = 0.01; temperature <= 2; temperature *= 1.15) {
    // Only the log-partition and the gold logit matter; classes far below the top are skipped
    // exactly (their exp would not change the sum), which at low temperatures is nearly all.
    const cutoff = NEGLIGIBLE_EXPONENT * temperature;
    let nll = 0;
    for (let i = 0; i < n; i++) {
      const at = i * classes;
      const top = max[i]!;
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const gap = top - held.logits[at + c]!;
        if (gap < cutoff) sum += Math.exp(-gap / temperature);
      }
      const goldGap = top - held.logits[at + held.gold[i]!]!;
      nll += Math.min(Math.log(sum) + goldGap / temperature, -Math.log(1e-12));
    }
    if (nll < best.nll) best = { temperature, nll };
  }
  return Math.round(best.temperature * 10000) / 10000;
}
