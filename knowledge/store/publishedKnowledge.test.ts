import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StateBackend } from '../../core/stores.js';
import { createMemoryBackend, MemorySpace } from '../../state/index.js';
import { openTestDatabase } from '../../test/databases.js';
import { ArticleRepository } from './articleRepository.js';
import { ArticleReads } from './articleReads.js';
import { PublishedKnowledge } from './publishedKnowledge.js';
import { articleSource } from './testArticles.js';

const QUESTION = 'where is the flimflam valve?';
const editor = { name: 'test' };

async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe('the published knowledge the bot answers from', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: ArticleRepository;
  const space = new MemorySpace();
  let backends: StateBackend[];
  let here: PublishedKnowledge;
  let there: PublishedKnowledge;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    repo = new ArticleRepository(database.db);
    backends = [createMemoryBackend({ space }), createMemoryBackend({ space })];
    here = await PublishedKnowledge.open({ reads: repo, pubsub: backends[0]!.pubsub, trees: [], resyncMs: 0 });
    there = await PublishedKnowledge.open({ reads: repo, pubsub: backends[1]!.pubsub, trees: [], resyncMs: 0 });
  });
  afterAll(async () => {
    await here?.close();
    await there?.close();
    for (const b of backends ?? []) await b.close();
    await database?.dispose();
  });

  const ids = (holder: PublishedKnowledge): string[] => holder.current().retriever.searchLexical(QUESTION).map((r) => r.article.id);

  test('a publish is searchable here at once and on the other instance after the announcement', async () => {
    await repo.create(articleSource('flimflam-valve', { body: 'The flimflam valve sits behind the rear panel, next to the power socket.' }), editor);
    await repo.publish('flimflam-valve', 1);
    expect(ids(there)).toEqual([]);
    await here.changed({ id: 'flimflam-valve', publishedVersion: 1 });
    expect(ids(here)).toEqual(['flimflam-valve']);
    expect(await eventually(() => ids(there).includes('flimflam-valve'))).toBe(true);
    expect(there.current().base.articles.map((a) => a.id)).toEqual(['flimflam-valve']);
  });

  test('drafts are never in the bot\'s set, even when their front matter says published', async () => {
    await repo.create(articleSource('flimflam-draft', { status: 'published', body: 'A draft about the flimflam valve that is not ready yet.' }), editor);
    await here.reload();
    expect(here.current().base.articles.map((a) => a.id)).toEqual(['flimflam-valve']);
  });

  test('a rebuild that fails keeps serving the previous published set', async () => {
    const flaky = new ArticleReads(database.db);
    const real = flaky.publishedArticles.bind(flaky);
    let failing = false;
    flaky.publishedArticles = () => (failing ? Promise.reject(new Error('database unavailable')) : real());
    const holder = await PublishedKnowledge.open({ reads: flaky, pubsub: backends[0]!.pubsub, trees: [], resyncMs: 0 });
    failing = true;
    await holder.reload();
    expect(ids(holder)).toEqual(['flimflam-valve']);
    await holder.close();
  });
});
