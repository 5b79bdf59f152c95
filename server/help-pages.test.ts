import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { articleSource } from '../knowledge/store/testArticles.js';
import { startTestService, type TestService } from '../test/service.js';
import { EditorClient } from '../test/editor-client.js';

const ADMIN_TOKEN = randomBytes(24).toString('base64url');

const HOSTILE_BODY = [
  'Hello <script>alert("body")</script> world.',
  '',
  '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">click me</a> [also](javascript:alert(3))',
  '',
  '<svg onload="alert(4)"><circle r="1"></circle></svg> <iframe src="https://evil.example"></iframe>',
  '',
  '<div style="background:url(javascript:alert(5))" onclick="alert(6)">styled</div> <a href="JaVaScRiPt:alert(7)">mixed case</a>',
  '',
  'See [the camera guide](camera-offline.md) and [our site](https://voltline.example).',
].join('\n');

describe('public help-centre pages', () => {
  let service: TestService;
  let editor: EditorClient;
  beforeAll(async () => {
    service = await startTestService('embedded', { ADMIN_TOKEN });
    editor = new EditorClient(service.url, ADMIN_TOKEN);
    await editor.call('POST', '/articles', { source: articleSource('hostile-article', { title: 'Tips <script>alert("title")</script>', body: HOSTILE_BODY }) });
    await editor.call('POST', '/articles/hostile-article/publish', { version: 1 });
    await editor.call('POST', '/articles', { source: articleSource('secret-draft', { title: 'Unreleased draft' }) });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('a published article renders as a page with the strict CSP and no inline code', async () => {
    const res = await fetch(`${service.url}/help/camera-offline`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h1>Camera shows offline or won&#39;t connect</h1>');
    expect(html).toContain('<h2>What the light means</h2>');
    expect(html).toContain('<link rel="stylesheet" href="/demo.css">');
    expect(html).not.toMatch(/<script|<style|style=/i);
  });

  test('script tags, event handlers and javascript: links in an article never reach the page', async () => {
    const res = await fetch(`${service.url}/help/hostile-article`);
    expect(res.status).toBe(200);
    const html = (await res.text()).toLowerCase();
    for (const bad of ['<script', 'onerror', 'onload', 'onclick', 'javascript:', '<iframe', '<svg', 'style=']) expect(html, bad).not.toContain(bad);
    expect(html).toContain('tips &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    expect(html).toContain('hello');
    expect(html).toContain('href="/help/camera-offline"');
    expect(html).toContain('href="https://voltline.example" rel="nofollow noopener noreferrer"');
  });

  test('the editor preview is sanitized the same way', async () => {
    const { json } = await editor.call('POST', '/articles/hostile-article/preview', {});
    const html = (json as { html: string }).html.toLowerCase();
    for (const bad of ['<script', 'onerror', 'javascript:']) expect(html).not.toContain(bad);
  });

  test('drafts and unknown articles are not found', async () => {
    for (const id of ['secret-draft', 'no-such-article', '..%2Fsecrets.json']) {
      const res = await fetch(`${service.url}/help/${id}`);
      expect(res.status, id).toBe(404);
      expect(await res.text()).not.toContain('Unreleased draft');
    }
  });

  test('the index lists published articles and leaves drafts out', async () => {
    const html = await (await fetch(`${service.url}/help`)).text();
    expect(html).toContain('href="/help/camera-offline"');
    expect(html).toContain('href="/help/hostile-article"');
    expect(html).not.toContain('secret-draft');
  });
});
