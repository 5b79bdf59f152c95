import { seededRandom } from '../../intents/classifier/linear.js';
import type { LabelledRow } from './dataset.js';

/** The seed `--shots` draws with when `--seed` is not given, so two runs pick the same phrases. */
export const DEFAULT_SHOTS_SEED = 1;

/**
 * Draws `shots` rows of every intent (CLINC150's `oos` included, as one more intent) from a train
 * split: a seeded Fisher–Yates shuffle per intent, intents visited in sorted order so the draw does
 * not depend on where an intent first appears. An intent with fewer rows keeps all of them. The
 * chosen rows keep their order in the file, because the classifier holds out by position within an
 * intent and a reordering would be a second, hidden source of variation.
 */
export function sampleShots(train: readonly LabelledRow[], shots: number, seed: number = DEFAULT_SHOTS_SEED): LabelledRow[] {
  if (!Number.isInteger(shots) || shots < 1) throw new RangeError(`shots must be a positive integer, got ${shots}`);
  const byIntent = new Map<string, number[]>();
  train.forEach((row, i) => {
    const list = byIntent.get(row.intent);
    if (list === undefined) byIntent.set(row.intent, [i]);
    else list.push(i);
  });
  const random = seededRandom(seed);
  const chosen: number[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const indices = byIntent.get(intent)!;
    const take = Math.min(shots, indices.length);
    // Partial Fisher–Yates: only the first `take` places need to be drawn.
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(random() * (indices.length - k));
      [indices[k], indices[j]] = [indices[j]!, indices[k]!];
    }
    chosen.push(...indices.slice(0, take));
  }
  return chosen.sort((a, b) => a - b).map((i) => train[i]!);
}

export interface BenchSplits {
  train: LabelledRow[];
  test: LabelledRow[];
  val?: LabelledRow[];
}

/**
 * Reads the splits of one run. With `shots`, only the train file is sampled; the test (and val)
 * files are read whole and never feed training.
 */
export function readSplits(
  files: { train: string; test: string; val?: string },
  read: (file: string) => LabelledRow[],
  shots?: { shots: number; seed: number },
): BenchSplits {
  const full = read(files.train);
  const train = shots === undefined ? full : sampleShots(full, shots.shots, shots.seed);
  const test = read(files.test);
  return files.val === undefined ? { train, test } : { train, test, val: read(files.val) };
}
