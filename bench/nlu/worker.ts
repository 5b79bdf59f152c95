/**
 * Runs one system in its own process, so its peak RSS and its single core are its own.
 * Usage (from bench/nlu.ts): node --import tsx bench/nlu/worker.ts SYSTEM TRAIN TEST [VAL]
 * Prints one JSON line of figures on stdout.
 */
import { readJsonl } from './dataset.js';
import { benchmarkSystem } from './run.js';
import { createSystem, SYSTEM_NAMES, type SystemName } from './systems.js';

const [name, trainFile, testFile, valFile] = process.argv.slice(2);
if (!SYSTEM_NAMES.includes(name as SystemName) || trainFile === undefined || testFile === undefined) {
  process.stderr.write('usage: worker.ts switchboard|nlpjs TRAIN TEST [VAL]\n');
  process.exit(2);
}
const figures = await benchmarkSystem(
  createSystem(name as SystemName),
  readJsonl(trainFile),
  readJsonl(testFile),
  valFile === undefined ? undefined : readJsonl(valFile),
);
process.stdout.write(`${JSON.stringify(figures)}\n`);
