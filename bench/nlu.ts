/**
 * NLU benchmark: npm run bench:nlu -- --train FILE --test FILE [--val FILE] [--compare nlpjs]
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
import type { SystemName } from './nlu/systems.js';

const WORKER = fileURLToPath(new URL('./nlu/worker.ts', import.meta.url));
const USAGE = 'usage: npm run bench:nlu -- --train FILE --test FILE [--val FILE] [--compare nlpjs]';

function fail(message: string): never {
  process.stderr.write(`bench:nlu: ${message}\n`);
  process.exit(1);
}

function runSystem(system: SystemName, files: string[]): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', WORKER, system, ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) fail(`${system} failed (exit ${child.status ?? child.signal})`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return { system, ...(JSON.parse(line) as Record<string, unknown>) };
}

function ratios(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { system: 'ratio' };
  for (const [key, value] of Object.entries(a)) {
    const other = b[key];
    if (typeof value === 'number' && typeof other === 'number') out[key] = other === 0 ? null : Math.round((value / other) * 1000) / 1000;
  }
  return out;
}

const { values } = parseArgs({
  options: { train: { type: 'string' }, test: { type: 'string' }, val: { type: 'string' }, compare: { type: 'string' } },
  strict: true,
});
if (values.train === undefined || values.test === undefined) fail(USAGE);
if (values.compare !== undefined && values.compare !== 'nlpjs') fail(`--compare supports only "nlpjs". ${USAGE}`);
const files = [values.train, values.test, ...(values.val === undefined ? [] : [values.val])];
try {
  // Validate every file here first, so a bad line is reported once, with its file and line number.
  for (const file of files) readJsonl(file);
} catch (error) {
  fail(isSwitchboardError(error) ? error.message : String(error));
}
const mine = runSystem('switchboard', files);
process.stdout.write(`${JSON.stringify(mine)}\n`);
if (values.compare === 'nlpjs') {
  const theirs = runSystem('nlpjs', files);
  process.stdout.write(`${JSON.stringify(theirs)}\n`);
  process.stdout.write(`${JSON.stringify(ratios(mine, theirs))}\n`);
}
