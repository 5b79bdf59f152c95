/**
 * `npm run nlu -- <command>`: evaluate, import and export the intent files.
 *
 *   eval [--dir D] [--eval-dir E] [--folds 5] [--min-f1 0.75] [--max-false-start 0.03] [--json]
 *   import <dialogflow|rasa|csv> FILE [--dir D]     (writes D/<intent>.yaml; nothing on error)
 *   export <dialogflow|rasa|csv> FILE [--dir D]
 *   parse "message" [--dir D]                         (one message through the local NLU, as JSON)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isSwitchboardError, SwitchboardError } from '../core/errors.js';
import { DEMO_CATALOGUE } from './demoCatalogue.js';
import { evaluateIntents, type EvaluationReport } from './evaluate.js';
import { loadEvalSet, SHOP_EVAL_DIR, trainingOverlap } from './evalSet.js';
import { evaluateHeldOut, type HeldOutReport } from './heldOut.js';
import { exportCsv, exportDialogflowZip, exportRasa, importCsv, importDialogflowZip, importRasa, writeIntentFiles } from './io/index.js';
import { loadIntentFiles, SHOP_INTENTS_DIR } from './load.js';
import { createLocalNlu, SHOP_TRAINING } from './local.js';
import type { IntentFile } from './schema.js';

export const DEFAULT_MIN_F1 = 0.75;
/**
 * Most negatives (small talk, other domains, mash) that may start a flow on the held-out set.
 * The goal is 2%; the ceiling sits a point above today's 2.3% so that a regression fails, not noise.
 */
export const DEFAULT_MAX_FALSE_START = 0.03;
const FORMATS = ['dialogflow', 'rasa', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const progress = (label: string) => (done: number, total: number): void => {
  // A terminal gets one updating line; a log file gets one line per step.
  process.stderr.write(process.stderr.isTTY ? `\r${label} ${done}/${total}${done === total ? '\n' : ''}` : `${label} ${done}/${total}\n`);
};

function formatOf(value: string | undefined): Format {
  if (value !== undefined && (FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`format must be one of ${FORMATS.join(', ')}`);
}

class UsageError extends Error {}

function printReport(report: EvaluationReport, minF1: number): void {
  const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`${report.folds}-fold cross-validation over ${report.examples} phrases`);
  out.push(`accuracy ${pct(report.accuracy)} (closed ${pct(report.closedAccuracy)})  macro-F1 ${report.macroF1.toFixed(3)} (floor ${minF1})`, '');
  out.push(`${'intent'.padEnd(30)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)} ${'n'.padStart(4)}`);
  for (const s of report.perIntent) out.push(`${s.intent.padEnd(30)} ${s.precision.toFixed(3).padStart(6)} ${s.recall.toFixed(3).padStart(6)} ${s.f1.toFixed(3).padStart(6)} ${String(s.support).padStart(4)}`);
  out.push('', 'Most confused (expected → predicted):');
  for (const c of report.confusions) out.push(`  ${c.count}× ${c.expected} → ${c.predicted}: ${c.examples.map((e) => JSON.stringify(e)).join(', ')}`);
  out.push('', report.nearDuplicates.length === 0 ? 'No near-duplicate phrases across intents.' : 'Near-duplicate phrases across intents:');
  for (const d of report.nearDuplicates) out.push(`  ${d.similarity.toFixed(2)} ${d.a.intent}: ${JSON.stringify(d.a.phrase)}  ~  ${d.b.intent}: ${JSON.stringify(d.b.phrase)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function printHeldOut(report: HeldOutReport, maxFalseStart: number): void {
  const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
  const out: string[] = ['', `Held-out evaluation: ${report.inDomain} in-domain messages, ${report.negatives} negatives (never trained on)`];
  out.push(`accuracy ${pct(report.accuracy)}  macro-F1 ${report.macroF1.toFixed(3)}  in-domain rejected ${pct(report.inDomainRejected)}`);
  out.push(`negatives: rejected ${pct(report.rejectionRate)}  false starts ${pct(report.falseStartRate)} (ceiling ${pct(maxFalseStart)})`);
  const reasons = Object.entries(report.reasons).map(([reason, n]) => `${reason} ${n.negatives}/${n.inDomain}`);
  out.push(`out-of-scope reasons (negatives/in-domain): ${reasons.join(', ') || 'none'}`);
  for (const g of report.negativeGroups) out.push(`  ${basename(g.file).padEnd(28)} ${String(g.messages).padStart(4)} negatives, rejected ${String(g.rejected).padStart(4)}, false starts ${g.falseStarts}`);
  out.push('');
  out.push(`${'intent'.padEnd(30)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)} ${'n'.padStart(4)}`);
  for (const s of report.perIntent) out.push(`${s.intent.padEnd(30)} ${s.precision.toFixed(3).padStart(6)} ${s.recall.toFixed(3).padStart(6)} ${s.f1.toFixed(3).padStart(6)} ${String(s.support).padStart(4)}`);
  out.push('', 'Most confused on held-out messages (expected → predicted):');
  for (const c of report.confusions) out.push(`  ${c.count}× ${c.expected} → ${c.predicted}: ${c.examples.map((e) => JSON.stringify(e)).join(', ')}`);
  out.push('', report.falseStarts.length === 0 ? 'No negative started a flow.' : 'Negatives that started a flow:');
  for (const f of report.falseStarts) out.push(`  ${f.predicted} ${f.confidence.toFixed(2)}: ${JSON.stringify(f.text)} (${f.source})`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function existingIntents(dir: string): Promise<IntentFile[]> {
  try {
    return await loadIntentFiles(dir);
  } catch {
    return []; // importing into an empty or new folder
  }
}

/** Runs the CLI; returns the exit code (0 ok, 1 under the floor or invalid input, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      folds: { type: 'string' },
      'min-f1': { type: 'string' },
      'eval-dir': { type: 'string' },
      'max-false-start': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const dir = values.dir ?? SHOP_INTENTS_DIR;
  const [command, ...rest] = positionals;
  try {
    switch (command) {
      case 'eval': {
        const minF1 = values['min-f1'] === undefined ? DEFAULT_MIN_F1 : Number(values['min-f1']);
        const folds = values.folds === undefined ? 5 : Number(values.folds);
        if (!(minF1 >= 0 && minF1 <= 1)) throw new UsageError('--min-f1 must be a number between 0 and 1');
        if (!Number.isInteger(folds) || folds < 2) throw new UsageError('--folds must be an integer of at least 2');
        const maxFalseStart = values['max-false-start'] === undefined ? DEFAULT_MAX_FALSE_START : Number(values['max-false-start']);
        if (!(maxFalseStart >= 0 && maxFalseStart <= 1)) throw new UsageError('--max-false-start must be a number between 0 and 1');
        const intents = await loadIntentFiles(dir);
        // The shop's held-out set belongs to the shop's intents; another folder brings its own or none.
        const evalDir = values['eval-dir'] ?? (values.dir === undefined ? SHOP_EVAL_DIR : undefined);
        const evalSet = evalDir === undefined ? undefined : await loadEvalSet(evalDir, intents.map((i) => i.name));
        if (evalSet !== undefined) {
          const leaked = trainingOverlap(evalSet, intents);
          if (leaked.length > 0) {
            const details = leaked.map((l) => ({ path: l.source, message: `"${l.text}" is also a training phrase of ${l.trainedAs}` }));
            throw new SwitchboardError('SB_ERR_INTENTS', `${leaked.length} evaluation messages are training phrases; held-out messages must be unseen`, details);
          }
        }
        const report = evaluateIntents(intents, { folds, training: SHOP_TRAINING, onProgress: progress('fold') });
        const heldOut =
          evalSet === undefined
            ? undefined
            : await evaluateHeldOut(createLocalNlu({ intents, orderNumberPattern: process.env['ORDER_NUMBER_PATTERN'] || '\\d{6}', catalogue: DEMO_CATALOGUE }), intents, evalSet, { onProgress: progress('held-out') });
        const f1Pass = report.macroF1 >= minF1;
        const falseStartPass = heldOut === undefined || heldOut.falseStartRate <= maxFalseStart;
        const pass = f1Pass && falseStartPass;
        if (values.json) process.stdout.write(`${JSON.stringify({ ...report, minF1, maxFalseStart, pass, ...(heldOut ? { heldOut } : {}) })}\n`);
        else {
          printReport(report, minF1);
          if (heldOut) printHeldOut(heldOut, maxFalseStart);
        }
        if (!f1Pass) process.stderr.write(`macro-F1 ${report.macroF1.toFixed(3)} is under the floor ${minF1}\n`);
        if (!falseStartPass) process.stderr.write(`false-start rate ${heldOut!.falseStartRate.toFixed(3)} is over the ceiling ${maxFalseStart}\n`);
        return pass ? 0 : 1;
      }
      case 'import': {
        const format = formatOf(rest[0]);
        const file = rest[1];
        if (file === undefined) throw new UsageError('import needs a FILE');
        const existing = await existingIntents(dir);
        const intents =
          format === 'dialogflow'
            ? await importDialogflowZip(await readFile(file), progress('intent'))
            : format === 'rasa'
              ? importRasa(await readFile(file, 'utf8'), existing, file)
              : importCsv(await readFile(file, 'utf8'), existing, file);
        const written = await writeIntentFiles(dir, intents);
        process.stderr.write(`imported ${intents.length} intents (${intents.reduce((n, i) => n + i.phrases.length, 0)} phrases) into ${dir}\n`);
        if (values.json) process.stdout.write(`${JSON.stringify({ written })}\n`);
        return 0;
      }
      case 'export': {
        const format = formatOf(rest[0]);
        const file = rest[1];
        if (file === undefined) throw new UsageError('export needs a FILE');
        const intents = await loadIntentFiles(dir);
        const data = format === 'dialogflow' ? await exportDialogflowZip(intents) : format === 'rasa' ? exportRasa(intents) : exportCsv(intents);
        await writeFile(file, data);
        process.stderr.write(`exported ${intents.length} intents to ${file}\n`);
        return 0;
      }
      case 'parse': {
        const text = rest.join(' ');
        if (text === '') throw new UsageError('parse needs a message');
        const nlu = createLocalNlu({ intents: await loadIntentFiles(dir), orderNumberPattern: process.env['ORDER_NUMBER_PATTERN'] || '\\d{6}', catalogue: DEMO_CATALOGUE });
        const result = await nlu.parse(text);
        process.stdout.write(`${JSON.stringify({ ...result, ranking: result.ranking.slice(0, 5) }, null, 2)}\n`);
        return 0;
      }
      default:
        throw new UsageError(values.help || command === undefined ? '' : `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message !== '') process.stderr.write(`${error.message}\n`);
      process.stderr.write('usage: nlu eval [--dir D] [--eval-dir E] [--folds 5] [--min-f1 0.75] [--max-false-start 0.03] [--json] | nlu import|export dialogflow|rasa|csv FILE [--dir D] | nlu parse "message"\n');
      return 2;
    }
    if (isSwitchboardError(error)) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      for (const d of error.details) process.stderr.write(`  ${d.path}: ${d.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
