import type { SparseVector } from './features.js';

/**
 * A multiclass linear model trained with averaged passive-aggressive updates (PA-I on the
 * Crammer-Singer hinge): each example moves only its own class and the most violating class.
 *
 * Why not a dense softmax/SVM: scoring every class for every feature costs features × classes per
 * message (≈ 20k multiply-adds on CLINC150), too slow for 20k classifications/s in JavaScript. Here a
 * feature only ever carries weights for the classes it was seen with or confused with, so the model
 * is stored sparse (CSR, one row per feature) and scoring touches a fraction of the matrix.
 */
export interface LinearModel {
  readonly classes: number;
  readonly features: number;
  /** CSR: the weights of feature f are entries rowStart[f] .. rowStart[f+1]-1. */
  readonly rowStart: Int32Array;
  readonly column: Uint16Array;
  readonly weight: Float32Array;
}

export interface LinearTrainingOptions {
  epochs: number;
  /** PA-I aggressiveness: the largest step one example may take. */
  aggressiveness: number;
  /** The margin the true class must win by. */
  margin: number;
  seed: number;
}

export const DEFAULT_LINEAR_OPTIONS: LinearTrainingOptions = { epochs: 10, aggressiveness: 0.5, margin: 1, seed: 7 };

/** Deterministic PRNG (mulberry32) so training the same data twice gives the same model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Raw scores of every class for one vector, written into `out`. */
export function linearScores(model: LinearModel, x: SparseVector, out: Float64Array): void {
  out.fill(0);
  const { rowStart, column, weight } = model;
  const { index, value } = x;
  for (let k = 0; k < index.length; k++) {
    const f = index[k]!;
    const v = value[k]!;
    const end = rowStart[f + 1]!;
    for (let e = rowStart[f]!; e < end; e++) out[column[e]!] += v * weight[e]!;
  }
}

export function trainLinear(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: LinearTrainingOptions = DEFAULT_LINEAR_OPTIONS,
): LinearModel {
  // Dense while training (fast updates), with per-feature lists of the classes that hold a weight.
  const w = new Float32Array(features * classes);
  const u = new Float32Array(features * classes); // Σ t·Δw, for the averaged weights w - u/t
  const listed = new Uint8Array(features * classes);
  const list = new Uint16Array(features * classes);
  const listLength = new Int32Array(features);
  const scores = new Float64Array(classes);
  const order = Int32Array.from(vectors.keys());
  const random = seededRandom(options.seed);
  let t = 1;
  const update = (x: SparseVector, c: number, step: number): void => {
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const f = index[k]!;
      const at = f * classes + c;
      const d = step * value[k]!;
      w[at] = w[at]! + d;
      u[at] = u[at]! + t * d;
      if (listed[at] === 0) {
        listed[at] = 1;
        list[f * classes + listLength[f]!] = c;
        listLength[f] = listLength[f]! + 1;
      }
    }
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let s = 0; s < order.length; s++) {
      const i = order[s]!;
      const x = vectors[i]!;
      const y = labels[i]!;
      scores.fill(0);
      const { index, value } = x;
      let normSq = 0;
      for (let k = 0; k < index.length; k++) {
        const f = index[k]!;
        const v = value[k]!;
        normSq += v * v;
        const base = f * classes;
        const n = listLength[f]!;
        for (let e = 0; e < n; e++) {
          const c = list[base + e]!;
          scores[c] += v * w[base + c]!;
        }
      }
      let rival = -1;
      let rivalScore = -Infinity;
      for (let c = 0; c < classes; c++) {
        if (c !== y && scores[c]! > rivalScore) {
          rivalScore = scores[c]!;
          rival = c;
        }
      }
      const loss = options.margin - (scores[y]! - rivalScore);
      if (rival >= 0 && loss > 0 && normSq > 0) {
        const step = Math.min(options.aggressiveness, loss / (2 * normSq));
        update(x, y, step);
        update(x, rival, -step);
      }
      t++;
    }
  }
  return compress(w, u, t, listLength, list, classes, features);
}

/** Averaged weights in CSR form; weights too small to change a decision are dropped. */
function compress(
  w: Float32Array,
  u: Float32Array,
  t: number,
  listLength: Int32Array,
  list: Uint16Array,
  classes: number,
  features: number,
): LinearModel {
  const rowStart = new Int32Array(features + 1);
  let total = 0;
  for (let f = 0; f < features; f++) total += listLength[f]!;
  const column = new Uint16Array(total);
  const weight = new Float32Array(total);
  let e = 0;
  for (let f = 0; f < features; f++) {
    rowStart[f] = e;
    const base = f * classes;
    const cols = Array.from(list.subarray(base, base + listLength[f]!)).sort((a, b) => a - b);
    for (const c of cols) {
      const value = w[base + c]! - u[base + c]! / t;
      if (Math.abs(value) < 1e-6) continue;
      column[e] = c;
      weight[e] = value;
      e++;
    }
  }
  rowStart[features] = e;
  return { classes, features, rowStart, column: column.slice(0, e), weight: weight.slice(0, e) };
}
