/**
 * Runs one system in its own process, so its peak RSS and its single core are its own.
 * Usage (from bench/nlu.ts): node --import tsx bench/nlu/worker.ts SYSTEM TRAIN TEST [VAL] [--shots N --seed S]
 * Prints one JSON line of figures on stdout.
 */
import { parseArgs } from 'node:util';
import { readJsonl } from './dataset.js';
import { benchmarkSystem } from './run.js';
import { DEFAULT_SHOTS_SEED, readSplits } from './shots.js';
import { createSystem, SYSTEM_NAMES, type SystemName } from './systems.js';

const { values, positionals } = parseArgs({
  options: { shots: { type: 'string' }, seed: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
const [name, trainFile, testFile, valFile] = positionals;
if (!SYSTEM_NAMES.includes(name as SystemName) || trainFile === undefined || testFile === undefined) {
  process.stderr.write('usage: worker.ts switchboard|nlpjs TRAIN TEST [VAL] [--shots N --seed S]\n');
  process.exit(2);
}
// bench/nlu.ts has validated both numbers; each worker draws the same sample from the same seed.
const shots = values.shots === undefined ? undefined : { shots: Number(values.shots), seed: Number(values.seed ?? DEFAULT_SHOTS_SEED) };
const splits = readSplits({ train: trainFile, test: testFile, ...(valFile === undefined ? {} : { val: valFile }) }, readJsonl, shots);
const figures = await benchmarkSystem(createSystem(name as SystemName), splits.train, splits.test, splits.val);
process.stdout.write(`${JSON.stringify(shots === undefined ? figures : { trainRows: splits.train.length, ...figures })}\n`);
