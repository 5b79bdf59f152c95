import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { articleSource, codeExecutingArticle, jsFunctionTagArticle, pwned, storeUnvalidatedVersion } from '../knowledge/store/testArticles.js';
import { EditorClient } from '../test/editor-client.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../test/service.js';

const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const ENGINES = ['js', 'javascript', 'coffee'] as const;

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

describe.each(DEPLOYMENTS)('article sources never run code on the server (%s)', (deployment) => {
  let service: TestService;
  let editor: EditorClient;
  const help = async (id = ''): Promise<{ status: number; html: string }> => {
    const res = await fetch(`${service.url}/help${id === '' ? '' : `/${id}`}`);
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    service = await startTestService(deployment, { ADMIN_TOKEN });
    editor = new EditorClient(service.url, ADMIN_TOKEN);
    await editor.call('POST', '/articles', { source: articleSource('plain-article', { title: 'Plain article', body: 'Version one of the plain article explains the warranty sticker.' }) });
    await editor.call('POST', '/articles/plain-article/publish', { version: 1 });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test.each(ENGINES)('creating a ---%s article gets 422 SB_ERR_KNOWLEDGE naming line 1; nothing is stored and nothing runs', async (engine) => {
    const { status, json } = await editor.call('POST', '/articles', { source: codeExecutingArticle('evil-new', engine) });
    expect(status).toBe(422);
    expect((json as ErrorBody).error).toMatchObject({
      code: 'SB_ERR_KNOWLEDGE',
      message: `new article: front matter: line 1: front matter must be YAML (opening line ---), found ---${engine}`,
    });
    expect((await editor.call('GET', '/articles/evil-new')).status).toBe(404);
    expect(pwned()).toBeUndefined();
  });

  test('previewing or saving ---js front matter over an article gets 422 and leaves its versions as they were', async () => {
    const preview = await editor.call('POST', '/articles/plain-article/preview', { source: codeExecutingArticle('plain-article') });
    expect(preview).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE', message: expect.stringContaining('line 1: front matter must be YAML') } } });
    const edit = await editor.call('PUT', '/articles/plain-article', { source: codeExecutingArticle('plain-article'), baseVersion: 1 });
    expect(edit).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE' } } });
    const { json } = await editor.call('GET', '/articles/plain-article/versions');
    expect((json as { versions: Array<{ version: number }> }).versions.map((v) => v.version)).toEqual([1]);
    expect(pwned()).toBeUndefined();
  });

  test('a !!js/function tag in YAML front matter gets 422 naming line 3', async () => {
    const { status, json } = await editor.call('POST', '/articles/plain-article/preview', { source: jsFunctionTagArticle('plain-article') });
    expect(status).toBe(422);
    expect((json as ErrorBody).error.message).toMatch(/^plain-article\.md: front matter: line 3: tag !!js\/function is not allowed/);
    expect(pwned()).toBeUndefined();
  });

  test('a ---js version stored before the fix cannot be previewed, published or rolled back to, and /help keeps serving the published one', async () => {
    await storeUnvalidatedVersion(service.database.db, { id: 'plain-article', version: 2, source: codeExecutingArticle('plain-article'), publish: false });
    const preview = await editor.call('POST', '/articles/plain-article/preview', {});
    expect(preview).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE' } } });
    const publish = await editor.call('POST', '/articles/plain-article/publish', { version: 2 });
    expect(publish).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE', message: expect.stringContaining('found ---js') } } });
    const rollback = await editor.call('POST', '/articles/plain-article/rollback', { version: 2, baseVersion: 2 });
    expect(rollback).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE' } } });
    expect((await editor.call('GET', '/articles/plain-article')).json).toMatchObject({ publishedVersion: 1, latest: { version: 2 } });
    const page = await help('plain-article');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Version one of the plain article');
    expect(pwned()).toBeUndefined();
  });

  test('a published ---js article stored before the fix is left out of /help and the editor list still works', async () => {
    await storeUnvalidatedVersion(service.database.db, { id: 'evil-stored', version: 1, source: codeExecutingArticle('evil-stored'), publish: true });
    expect((await help('evil-stored')).status).toBe(404);
    const index = await help();
    expect(index.status).toBe(200);
    expect(index.html).toContain('href="/help/plain-article"');
    expect(index.html).toContain('href="/help/camera-offline"');
    expect(index.html).not.toContain('evil-stored');
    const list = await editor.call('GET', '/articles');
    expect(list.status).toBe(200);
    expect((list.json as { articles: Array<{ id: string; title: string }> }).articles.find((a) => a.id === 'evil-stored')).toMatchObject({ title: 'evil-stored' });
    expect(pwned()).toBeUndefined();
  });

  test('after a restart with that article stored, the service starts, answers and serves /help; nothing ran', async () => {
    service = await restartTestService(service);
    editor = new EditorClient(service.url, ADMIN_TOKEN);
    expect((await help()).status).toBe(200);
    expect((await help('evil-stored')).status).toBe(404);
    expect(await editor.searchIds('warranty sticker on the plain article')).toContain('plain-article');
    expect(pwned()).toBeUndefined();
  });

  test('the admin shop import refuses __proto__ and constructor keys naming the field, writes nothing and pollutes nothing', async () => {
    const customer = '{"id":"C4242","accountId":"A704242","name":"Proto Person","email":"proto@example.org","plan":"standard","preferredChannel":"email","__proto__":{"isAdmin":true}}';
    const res = await fetch(`${service.url}/admin/shop/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: `{"customers":[${customer}],"constructor":{"prototype":{"polluted":true}}}`,
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('SB_ERR_IMPORT');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'customers[0]', message: expect.stringContaining('"__proto__"') as string },
        { path: '(root)', message: expect.stringContaining('"constructor"') as string },
      ]),
    );
    expect(await service.database.db.selectFrom('customers').select('id').where('id', '=', 'C4242').execute()).toEqual([]);
    const blank: Record<string, unknown> = {};
    expect([blank.isAdmin, blank.polluted]).toEqual([undefined, undefined]);
  });
});
