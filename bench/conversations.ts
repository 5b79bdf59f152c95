/**
 * `npm run bench:conversations [-- --corpus FILE_OR_DIR --only ID,ID --deployment embedded|redis+postgres --transcripts]`
 *
 * Plays every conversation of the corpus (bench/conversations/*.yaml) through the real pipeline
 * (the service startService builds, turns handed to its TurnProcessor in-process), each on a
 * fresh shop, and classifies it as resolved, handed off as expected, wrong or stuck
 * (bench/conversations/classify.ts; what each expectation means: docs/benchmarks.md). Prints one
 * JSON line, then one line per failing conversation; `--transcripts` adds each failure's
 * transcript on stderr (every selected conversation's with `--only`).
 */
import { parseArgs } from 'node:util';
import { ConversationHarness } from '../test/conversation.js';
import { CorpusError, loadCorpus, CORPUS_DIR } from './conversations/corpus.js';
import { runCorpusConversation, type RunResult } from './conversations/run.js';
import { summarize } from './conversations/summary.js';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: CORPUS_DIR },
    only: { type: 'string' },
    deployment: { type: 'string', default: 'embedded' },
    transcripts: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  let corpus;
  try {
    corpus = await loadCorpus(args.corpus);
  } catch (error) {
    if (error instanceof CorpusError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (args.only !== undefined) {
    const only = new Set(args.only.split(','));
    corpus = corpus.filter((c) => only.has(c.id));
  }
  const harness = await ConversationHarness.start({
    deployment: args.deployment === 'redis+postgres' ? 'redis+postgres' : 'embedded',
    // The shop is reset before every conversation, budgets included: the production limits apply.
    env: { OTP_MAX_ATTEMPTS_PER_IP: '20', OTP_SENDS_PER_HOUR: '5' },
  });
  const results: RunResult[] = [];
  try {
    for (const conversation of corpus) {
      results.push(await runCorpusConversation(harness, conversation));
      if (results.length % 25 === 0) process.stderr.write(`${results.length}/${corpus.length} conversations\n`);
    }
  } finally {
    await harness.close();
  }
  const summary = summarize(results.map((r) => ({ id: r.conversation.id, verdict: r.verdict })));
  process.stdout.write(`${JSON.stringify(summary.counts)}\n`);
  for (const line of summary.failures) process.stdout.write(`${line}\n`);
  if (args.transcripts) {
    // With --only every selected conversation is shown, passes too: that is how a reviewer checks one.
    const shown = args.only !== undefined ? results : results.filter((x) => x.verdict.kind === 'wrong' || x.verdict.kind === 'stuck');
    for (const r of shown) {
      process.stderr.write(`\n== ${r.conversation.id} (${r.verdict.kind}: ${r.verdict.reason})\n${r.transcript.join('\n')}\n`);
    }
  }
}

await main();
