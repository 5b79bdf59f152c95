import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryBackend } from '../../state/index.js';
import { openTestDatabase } from '../../test/databases.js';
import { openKnowledgeStore } from './openKnowledgeStore.js';
import { articleSource, codeExecutingArticle, jsFunctionTagArticle, pwned, storeUnvalidatedVersion } from './testArticles.js';

describe('knowledge store start-up', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('without the demo seed, a shop starts with no articles instead of the demo ones', async () => {
    const state = createMemoryBackend();
    const store = await openKnowledgeStore({ db: handle.db, pubsub: state.pubsub, importShipped: false });
    try {
      expect(await store.articles.list()).toEqual([]);
      expect(store.published.current().base.articles).toEqual([]);
    } finally {
      await store.close();
      await state.close();
    }
  });
});

describe('knowledge store start-up with content that tries to run code', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await handle.dispose();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function contentDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-start-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'articles'));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'articles', name), text);
    return dir;
  }

  test.each(['js', 'javascript', 'coffee'] as const)('a ---%s article file is refused at start-up naming the file and line, nothing runs and nothing is imported', async (engine) => {
    const dir = await contentDir({ 'good-article.md': articleSource('good-article', { status: 'published' }), 'evil-article.md': codeExecutingArticle('evil-article', engine) });
    const state = createMemoryBackend();
    try {
      const error = await openKnowledgeStore({ db: handle.db, pubsub: state.pubsub, dir }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SB_ERR_KNOWLEDGE', message: expect.stringContaining(`evil-article.md: front matter: line 1: front matter must be YAML (opening line ---), found ---${engine}`) });
      expect(pwned()).toBeUndefined();
      expect(await handle.db.selectFrom('kb_articles').select('id').execute()).toEqual([]);
    } finally {
      await state.close();
    }
  });

  test('a stored published article with unsafe front matter is refused with a logged code; start-up and the other articles keep working', async () => {
    await storeUnvalidatedVersion(handle.db, { id: 'good-article', version: 1, source: articleSource('good-article'), publish: true });
    await storeUnvalidatedVersion(handle.db, { id: 'evil-article', version: 1, source: codeExecutingArticle('evil-article'), publish: true });
    await storeUnvalidatedVersion(handle.db, { id: 'tagged-article', version: 1, source: jsFunctionTagArticle('tagged-article'), publish: true });
    const warnings: Array<{ details: object; message: string }> = [];
    const log = { info: () => undefined, warn: (details: object, message: string) => void warnings.push({ details, message }) };
    const state = createMemoryBackend();
    const store = await openKnowledgeStore({ db: handle.db, pubsub: state.pubsub, importShipped: false, log, resyncMs: 0 });
    try {
      expect(store.published.current().base.articles.map((a) => a.id)).toEqual(['good-article']);
      expect(await store.articles.publishedArticle('evil-article')).toBeNull();
      expect((await store.articles.publishedArticles()).articles.map((a) => a.id)).toEqual(['good-article']);
      await store.published.reload();
      expect(pwned()).toBeUndefined();

      // Once per problem, however often the article is read (every /help view reads it).
      expect(warnings.map((w) => w.details)).toEqual([
        { code: 'SB_ERR_KNOWLEDGE', article: 'evil-article.md', field: 'front matter', problem: 'line 1: front matter must be YAML (opening line ---), found ---js' },
        { code: 'SB_ERR_KNOWLEDGE', article: 'tagged-article.md', field: 'front matter', problem: expect.stringMatching(/^line 3: tag !!js\/function is not allowed/) },
      ]);
      expect(JSON.stringify(warnings)).not.toContain('__sb_pwned');
    } finally {
      await store.close();
      await state.close();
    }
  });
});
