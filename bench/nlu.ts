/**
 * NLU benchmark: npm run bench:nlu -- --train FILE --test FILE [--val FILE] [--compare nlpjs] [--shots N [--seed S]]
 *
 * --shots N trains both systems on N rows per intent (CLINC150's `oos` counted as an intent) drawn
 * from the train file with a seeded shuffle (--seed, default DEFAULT_SHOTS_SEED), and still tests
 * on the whole test file: how the classifier does on a shop's first few phrases per intent.
 *
 * Each system is trained and measured in its own child process, one after the other, so that its
 * peak RSS (`rssMB`) and the single core it is timed on belong to it alone. Prints one JSON line per
 * system and, with --compare, a "ratio" line (switchboard / nlpjs) for every numeric figure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isSwitchboardError } from '../core/errors.js';
import { readJsonl } from './nlu/dataset.js';
import { DEFAULT_SHOTS_SEED } from './nlu/shots.js';
import type { SystemName } from './nlu/systems.js';

const WORKER = fileURLToPath(new URL('./nlu/worker.ts', import.meta.url));
const USAGE = 'usage: npm run bench:nlu -- --train FILE --test FILE [--val FILE] [--compare nlpjs] [--shots N [--seed S]]';

function fail(message: string): never {
  process.stderr.write(`bench:nlu: ${message}\n`);
  process.exit(1);
}

function runSystem(system: SystemName, files: string[], sampling: string[], tags: Record<string, number>): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', WORKER, system, ...files, ...sampling], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) fail(`${system} failed (exit ${child.status ?? child.signal})`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return { system, ...tags, ...(JSON.parse(line) as Record<string, unknown>) };
}

function ratios(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { system: 'ratio' };
  for (const [key, value] of Object.entries(a)) {
    if (key === 'shots' || key === 'seed' || key === 'trainRows') continue; // settings of the run, not figures
    const other = b[key];
    if (typeof value === 'number' && typeof other === 'number') out[key] = other === 0 ? null : Math.round((value / other) * 1000) / 1000;
  }
  return out;
}

const { values } = parseArgs({
  options: { train: { type: 'string' }, test: { type: 'string' }, val: { type: 'string' }, compare: { type: 'string' }, shots: { type: 'string' }, seed: { type: 'string' } },
  strict: true,
});
if (values.train === undefined || values.test === undefined) fail(USAGE);
if (values.compare !== undefined && values.compare !== 'nlpjs') fail(`--compare supports only "nlpjs". ${USAGE}`);
function integerAtLeast(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${flag} needs an integer ≥ ${min}, got "${raw}". ${USAGE}`);
  return n;
}
if (values.seed !== undefined && values.shots === undefined) fail(`--seed only applies with --shots. ${USAGE}`);
const shots = values.shots === undefined ? undefined : integerAtLeast('shots', values.shots, 1);
const seed = values.seed === undefined ? DEFAULT_SHOTS_SEED : integerAtLeast('seed', values.seed, 0);
const sampling = shots === undefined ? [] : ['--shots', String(shots), '--seed', String(seed)];
const tags: Record<string, number> = shots === undefined ? {} : { shots, seed };
const files = [values.train, values.test, ...(values.val === undefined ? [] : [values.val])];
try {
  // Validate every file here first, so a bad line is reported once, with its file and line number.
  for (const file of files) readJsonl(file);
} catch (error) {
  fail(isSwitchboardError(error) ? error.message : String(error));
}
const mine = runSystem('switchboard', files, sampling, tags);
process.stdout.write(`${JSON.stringify(mine)}\n`);
if (values.compare === 'nlpjs') {
  const theirs = runSystem('nlpjs', files, sampling, tags);
  process.stdout.write(`${JSON.stringify(theirs)}\n`);
  process.stdout.write(`${JSON.stringify(ratios(mine, theirs))}\n`);
}
