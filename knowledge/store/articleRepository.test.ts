import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../../test/databases.js';
import { loadKnowledgeBase } from '../loadKnowledgeBase.js';
import { ArticleRepository } from './articleRepository.js';
import { IMPORT_AUTHOR, importShippedArticles } from './importShipped.js';
import { articleSource } from './testArticles.js';

const alice = { name: 'alice' };
const bob = { name: 'bob' };

describe.each(DATABASE_KINDS)('versioned knowledge base on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: ArticleRepository;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    repo = new ArticleRepository(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  test('first start imports every shipped article as version 1, published as its front matter says, and only once', async () => {
    const shipped = await loadKnowledgeBase();
    expect(await importShippedArticles(database.db)).toEqual({ imported: shipped.articles.length });
    const list = await repo.list();
    expect(list).toHaveLength(shipped.articles.length);
    for (const article of shipped.articles) {
      const row = list.find((r) => r.id === article.id);
      expect(row?.latestVersion).toBe(1);
      expect(row?.status).toBe(article.status);
    }
    const [first] = (await repo.versions(shipped.articles[0]!.id)) ?? [];
    expect(first?.author).toBe(IMPORT_AUTHOR);
    expect(await importShippedArticles(database.db)).toEqual({ imported: 0 });
  });

  test('an edit adds a new version and leaves the published one in place until it is published', async () => {
    await repo.create(articleSource('sticker-policy', { body: 'Version one of the sticker policy says stickers are free.' }), alice);
    expect(await repo.publish('sticker-policy', 1)).toMatchObject({ publishedVersion: 1 });
    const edited = await repo.edit('sticker-policy', articleSource('sticker-policy', { body: 'Version two says stickers cost five euros.' }), 1, bob);
    expect(edited).toEqual({ id: 'sticker-policy', version: 2, publishedVersion: 1 });

    expect((await repo.publishedArticle('sticker-policy'))?.body).toContain('Version one');
    const detail = await repo.detail('sticker-policy');
    expect(detail?.latest).toMatchObject({ version: 2, author: 'bob' });
    expect(detail?.published?.version).toBe(1);
    expect((await repo.list()).find((r) => r.id === 'sticker-policy')).toMatchObject({ hasUnpublishedChanges: true, latestVersion: 2 });

    await repo.publish('sticker-policy', 2);
    expect((await repo.publishedArticle('sticker-policy'))?.body).toContain('Version two');
  });

  test('rolling back republishes an old version as a new one, so history stays linear', async () => {
    const result = await repo.rollback('sticker-policy', 1, 2, alice);
    expect(result).toEqual({ id: 'sticker-policy', version: 3, publishedVersion: 3 });
    const versions = await repo.versions('sticker-policy');
    expect(versions?.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions?.[0]?.source).toBe(versions?.[2]?.source);
    expect((await repo.publishedArticle('sticker-policy'))?.body).toContain('Version one');
  });

  test('a stale base version is refused with a conflict and stores nothing', async () => {
    await expect(repo.edit('sticker-policy', articleSource('sticker-policy', { body: 'A late edit that never saw version three.' }), 2, bob)).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
      status: 409,
    });
    await expect(repo.publish('sticker-policy', 2)).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    await expect(repo.rollback('sticker-policy', 1, 1, bob)).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect((await repo.versions('sticker-policy'))?.map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await repo.detail('sticker-policy'))?.publishedVersion).toBe(3);
  });

  test('two editors saving on the same base at once: exactly one wins, the other gets a conflict', async () => {
    await repo.create(articleSource('race-article'), alice);
    const results = await Promise.allSettled(
      ['alice', 'bob', 'carol', 'dave'].map((name) => repo.edit('race-article', articleSource('race-article', { body: `Edited by ${name} with enough words in it.` }), 1, { name })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect((await repo.versions('race-article'))?.map((v) => v.version)).toEqual([2, 1]);
  });

  test.each([
    ['an unknown category', articleSource('bad-category').replace('category: policies', 'category: gadgets'), 'category'],
    ['a misspelt field', articleSource('bad-field', { extra: 'catgory: policies' }), '(root)'],
    ['a missing title', articleSource('no-title').replace(/^title: .*$/m, ''), 'title'],
    ['no front matter', 'Just some text without a header.', 'front matter'],
  ])('bad front matter (%s) is rejected naming the field, and nothing is stored', async (_name, source, field) => {
    const before = await repo.list();
    const error = await repo.create(source, alice).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SB_ERR_KNOWLEDGE', status: 422 });
    expect((error as Error).message).toContain(field);
    expect(await repo.list()).toHaveLength(before.length);
  });

  test('an edit may not change the article id, and a bad edit stores no version', async () => {
    const error = await repo.edit('race-article', articleSource('another-id'), 2, alice).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SB_ERR_KNOWLEDGE' });
    expect((error as Error).message).toContain('id');
    expect((await repo.versions('race-article'))?.map((v) => v.version)).toEqual([2, 1]);
  });

  test('creating an id that exists is a conflict; unknown articles are not found', async () => {
    await expect(repo.create(articleSource('race-article'), alice)).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    await expect(repo.publish('no-such-article', 1)).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    await expect(repo.edit('no-such-article', articleSource('no-such-article'), 1, alice)).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    await expect(repo.rollback('race-article', 9, 2, alice)).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
  });

  test('unpublishing takes the article away from the bot; a stale published version is a conflict', async () => {
    await expect(repo.unpublish('sticker-policy', 2)).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect(await repo.unpublish('sticker-policy', 3)).toMatchObject({ publishedVersion: null });
    expect(await repo.publishedArticle('sticker-policy')).toBeNull();
    const { articles } = await repo.publishedArticles();
    expect(articles.map((a) => a.id)).not.toContain('sticker-policy');
    expect(articles.every((a) => a.status === 'published')).toBe(true);
  });

  test('feedback counts appear in the article list', async () => {
    await database.db
      .insertInto('kb_feedback')
      .values([
        { article_id: 'race-article', helpful: true, conversation_id: null },
        { article_id: 'race-article', helpful: true, conversation_id: null },
        { article_id: 'race-article', helpful: false, conversation_id: null },
      ])
      .execute();
    expect((await repo.list()).find((r) => r.id === 'race-article')?.feedback).toEqual({ helpful: 2, unhelpful: 1 });
  });
});
