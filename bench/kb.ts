/**
 * Knowledge-base retrieval benchmark: every question in knowledge/eval/questions.jsonl is asked
 * once (after one warm-up pass) and the expected article's rank is recorded.
 * Prints one JSON line; `--misses` also lists questions whose article was not first (stderr).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { DEFAULT_KNOWLEDGE_DIR, createRetriever, loadKnowledgeBase } from '../knowledge/index.js';

const QuestionSchema = z.object({ question: z.string().min(1), article: z.string().min(1) });
const DEPTH = 10;

const kb = await loadKnowledgeBase();
const lines = (await readFile(path.join(DEFAULT_KNOWLEDGE_DIR, 'eval', 'questions.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
const questions = lines.map((line, i) => {
  const parsed = QuestionSchema.safeParse(JSON.parse(line));
  if (!parsed.success) throw new Error(`questions.jsonl line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  if (!kb.articles.some((a) => a.id === parsed.data.article)) throw new Error(`questions.jsonl line ${i + 1}: unknown article ${parsed.data.article}`);
  return parsed.data;
});

const buildStart = performance.now();
const retriever = createRetriever(kb.articles);
const buildMs = performance.now() - buildStart;
// What an editor's publish costs once the process is warm.
const rebuildStart = performance.now();
createRetriever(kb.articles);
const rebuildMs = performance.now() - rebuildStart;

for (const q of questions) retriever.searchLexical(q.question, { locale: 'en', limit: DEPTH });

const latencies: number[] = [];
let hitsAt1 = 0;
let hitsAt3 = 0;
let reciprocalRanks = 0;
const misses: string[] = [];
for (const q of questions) {
  const start = performance.now();
  const results = retriever.searchLexical(q.question, { locale: 'en', limit: DEPTH });
  latencies.push(performance.now() - start);
  const rank = results.findIndex((r) => r.article.id === q.article) + 1;
  if (rank === 1) hitsAt1 += 1;
  if (rank >= 1 && rank <= 3) hitsAt3 += 1;
  if (rank >= 1) reciprocalRanks += 1 / rank;
  if (rank !== 1) misses.push(`${rank === 0 ? '-' : rank}\t${q.question}\t→ want ${q.article}, got ${results.slice(0, 3).map((r) => r.article.id).join(', ')}`);
}

latencies.sort((a, b) => a - b);
const percentile = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

if (process.argv.includes('--misses')) process.stderr.write(`${misses.join('\n')}\n`);
console.log(
  JSON.stringify({
    questions: questions.length,
    articles: retriever.articleCount,
    passages: retriever.passageCount,
    recallAt1: round(hitsAt1 / questions.length),
    recallAt3: round(hitsAt3 / questions.length),
    mrr: round(reciprocalRanks / questions.length),
    p50Ms: round(percentile(50), 2),
    p99Ms: round(percentile(99), 2),
    buildMs: round(buildMs, 1),
    rebuildMs: round(rebuildMs, 1),
    rssMB: round(process.memoryUsage().rss / 1024 / 1024, 1),
  }),
);
