import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { articleSource } from '../knowledge/store/testArticles.js';
import { startTestService, type TestService } from '../test/service.js';
import { EditorClient } from '../test/editor-client.js';
import { ApiContract } from '../test/openapi-validate.js';

const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const QUESTION = 'how do I recalibrate the quokkaflux sensor?';
const body = 'To recalibrate the quokkaflux sensor, hold the side button for ten seconds until the light turns green, then wait a minute.';

describe('knowledge-base editor API', () => {
  let service: TestService;
  let editor: EditorClient;
  beforeAll(async () => {
    service = await startTestService('embedded', { ADMIN_TOKEN });
    editor = new EditorClient(service.url, ADMIN_TOKEN);
    // Every exchange of these tests is held to /openapi.json: a drift between the routes and the document fails here.
    editor.contract = await ApiContract.of(service.url);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('refuses requests without the token (401) or with a wrong one (403), and stores nothing', async () => {
    const anonymous = new EditorClient(service.url, null);
    expect(await anonymous.call('GET', '/articles')).toMatchObject({ status: 401, json: { error: { code: 'SB_ERR_UNAUTHENTICATED' } } });
    const wrong = new EditorClient(service.url, 'x'.repeat(32));
    const attempt = await wrong.call('POST', '/articles', { source: articleSource('sneaky-article', { status: 'published' }) });
    expect(attempt).toMatchObject({ status: 403, json: { error: { code: 'SB_ERR_FORBIDDEN' } } });
    expect((await editor.call('GET', '/articles/sneaky-article')).status).toBe(404);
  });

  test('lists the imported shipped articles with versions, status and feedback counts', async () => {
    const { status, json } = await editor.call('GET', '/articles');
    expect(status).toBe(200);
    const rows = (json as { articles: Array<Record<string, unknown>> }).articles;
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.find((r) => r.id === 'camera-offline')).toMatchObject({
      status: 'published',
      publishedVersion: 1,
      latestVersion: 1,
      feedback: { helpful: 0, unhelpful: 0 },
    });
  });

  test('create → preview → publish: the bot finds the new article only once it is published', async () => {
    const created = await editor.call('POST', '/articles', { source: articleSource('quokkaflux-calibration', { title: 'Recalibrate the Quokkaflux sensor', body }) });
    expect(created).toMatchObject({ status: 201, json: { id: 'quokkaflux-calibration', version: 1, publishedVersion: null } });

    const preview = await editor.call('POST', '/articles/quokkaflux-calibration/preview', {});
    expect(preview.status).toBe(200);
    expect((preview.json as { html: string }).html).toContain('<p>To recalibrate the quokkaflux sensor');
    expect(await editor.searchIds(QUESTION)).not.toContain('quokkaflux-calibration');

    const published = await editor.call('POST', '/articles/quokkaflux-calibration/publish', { version: 1 });
    expect(published).toMatchObject({ status: 200, json: { publishedVersion: 1 } });
    const search = await editor.call('POST', '/search-test', { question: QUESTION });
    const [top] = (search.json as { results: Array<{ id: string; passage: { excerpt: string } }> }).results;
    expect(top?.id).toBe('quokkaflux-calibration');
    expect(top?.passage.excerpt).toContain('hold the side button');
  });

  test('editing needs the version the editor saw: a stale base is a conflict and stores nothing', async () => {
    const v2 = await editor.call('PUT', '/articles/quokkaflux-calibration', { source: articleSource('quokkaflux-calibration', { body: `${body} Version two.` }), baseVersion: 1 });
    expect(v2).toMatchObject({ status: 200, json: { version: 2, publishedVersion: 1 } });
    const stale = await editor.call('PUT', '/articles/quokkaflux-calibration', { source: articleSource('quokkaflux-calibration', { body: `${body} Lost update.` }), baseVersion: 1 });
    expect(stale).toMatchObject({ status: 409, json: { error: { code: 'SB_ERR_CONFLICT', details: [{ path: 'baseVersion' }] } } });
    const staleRollback = await editor.call('POST', '/articles/quokkaflux-calibration/rollback', { version: 1, baseVersion: 1 });
    expect(staleRollback.status).toBe(409);
    const { json } = await editor.call('GET', '/articles/quokkaflux-calibration/versions');
    expect((json as { versions: Array<{ version: number; author: string }> }).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  test('rolling back publishes the old text as a new version', async () => {
    await editor.call('POST', '/articles/quokkaflux-calibration/publish', { version: 2 });
    const rolled = await editor.call('POST', '/articles/quokkaflux-calibration/rollback', { version: 1, baseVersion: 2 });
    expect(rolled).toMatchObject({ status: 200, json: { version: 3, publishedVersion: 3 } });
    const detail = await editor.call('GET', '/articles/quokkaflux-calibration');
    expect(detail.json).toMatchObject({ status: 'published', publishedVersion: 3, latest: { version: 3, author: 'admin' } });
    expect((detail.json as { published: { source: string } }).published.source).not.toContain('Version two');
  });

  test('unpublishing removes the article from what the bot retrieves', async () => {
    expect((await editor.call('POST', '/articles/quokkaflux-calibration/unpublish', { version: 3 })).status).toBe(200);
    expect(await editor.searchIds(QUESTION)).not.toContain('quokkaflux-calibration');
  });

  test('bad front matter is refused with 422 naming the field, and nothing is stored', async () => {
    const bad = articleSource('bad-status-article').replace('status: draft', 'status: live');
    const result = await editor.call('POST', '/articles', { source: bad });
    expect(result).toMatchObject({ status: 422, json: { error: { code: 'SB_ERR_KNOWLEDGE' } } });
    expect((result.json as { error: { message: string } }).error.message).toContain('status');
    expect((await editor.call('GET', '/articles/bad-status-article')).status).toBe(404);
  });

  test.each([
    ['POST', '/articles', {}, 'source'],
    ['POST', '/articles', { source: 'x', extra: 1 }, '(root)'],
    ['PUT', '/articles/camera-offline', { source: 'x' }, 'baseVersion'],
    ['POST', '/articles/camera-offline/publish', { version: '1' }, 'version'],
    ['POST', '/search-test', { question: '' }, 'question'],
  ])('%s %s with an invalid body is a coded 400 naming the field', async (method, path, payload, field) => {
    const result = await editor.call(method, path, payload);
    expect(result).toMatchObject({ status: 400, json: { error: { code: 'SB_ERR_VALIDATION' } } });
    expect(JSON.stringify(result.json)).toContain(`"path":"${field}`);
  });
});
