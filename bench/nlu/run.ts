import type { LabelledRow } from './dataset.js';
import { scorePredictions, type Prediction, type QualityFigures } from './metrics.js';
import type { BenchSystem } from './systems.js';

export interface SystemFigures extends QualityFigures {
  trainSeconds: number;
  perSecond: number;
  p99Ms: number;
  rssMB: number;
}

/** Passes over the test set until this much time has been spent, so fast systems get a stable rate. */
const MIN_TIMED_SECONDS = 1;
const MAX_PASSES = 20;

async function predictTimed(system: BenchSystem, text: string, latencies: number[]): Promise<Prediction> {
  const start = process.hrtime.bigint();
  const out = system.predict(text);
  const p = out instanceof Promise ? await out : out;
  latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  return p;
}

/** Trains, scores and times one system in this process (the caller runs each system in its own process). */
export async function benchmarkSystem(
  system: BenchSystem,
  train: readonly LabelledRow[],
  test: readonly LabelledRow[],
  val?: readonly LabelledRow[],
): Promise<SystemFigures & { val?: QualityFigures }> {
  const t0 = process.hrtime.bigint();
  await system.train(train);
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const latencies: number[] = [];
  const predictions: Prediction[] = [];
  const started = process.hrtime.bigint();
  for (const row of test) predictions.push(await predictTimed(system, row.text, latencies));
  let passes = 1;
  while (passes < MAX_PASSES && Number(process.hrtime.bigint() - started) / 1e9 < MIN_TIMED_SECONDS) {
    for (const row of test) await predictTimed(system, row.text, latencies);
    passes++;
  }
  const totalMs = latencies.reduce((a, b) => a + b, 0);
  const sorted = Float64Array.from(latencies).sort();
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  const valFigures = val === undefined ? undefined : scorePredictions(val, await predictAll(system, val));
  return {
    ...scorePredictions(test, predictions),
    trainSeconds: Math.round(trainSeconds * 1000) / 1000,
    perSecond: Math.round((latencies.length / totalMs) * 1000),
    p99Ms: Math.round(p99 * 1000) / 1000,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(valFigures === undefined ? {} : { val: valFigures }),
  };
}

async function predictAll(system: BenchSystem, rows: readonly LabelledRow[]): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (const row of rows) {
    const p = system.predict(row.text);
    out.push(p instanceof Promise ? await p : p);
  }
  return out;
}
