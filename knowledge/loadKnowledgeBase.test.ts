import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../core/errors.js';
import { DEVICE_FAMILIES, PRODUCT_CATALOGUE, loadKnowledgeBase } from './index.js';

const GOOD_FRONT_MATTER: Record<string, string> = {
  id: 'foo',
  title: 'Foo article',
  category: 'shipping',
  products: '[]',
  locale: 'en',
  tags: '[parcel]',
  status: 'published',
  updated: '2025-01-01',
};

function article(overrides: Record<string, string | null> = {}, body = 'Some helpful text about parcels.'): string {
  const fields = { ...GOOD_FRONT_MATTER, ...overrides };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n${body}\n`;
}

const dirs: string[] = [];
async function contentDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-'));
  dirs.push(dir);
  await mkdir(path.join(dir, 'articles'));
  await mkdir(path.join(dir, 'troubleshooting'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function loadError(dir: string): Promise<SwitchboardError> {
  const error = await loadKnowledgeBase(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  return error as SwitchboardError;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the shipped knowledge base', () => {
  test('loads cleanly with at least 45 articles, every tree valid, covering every device family', async () => {
    const kb = await loadKnowledgeBase();
    expect(kb.articles.length).toBeGreaterThanOrEqual(45);
    expect(kb.articles.filter((a) => a.status === 'published').length).toBeGreaterThanOrEqual(45);
    const treeIds = kb.trees.map((t) => t.id);
    for (const id of ['no-internet-wifi-dropouts', 'camera-offline', 'smart-plug-wont-pair', 'thermostat-not-heating', 'headphones-wont-connect', 'firmware-update-failed']) {
      expect(treeIds).toContain(id);
    }
    for (const family of DEVICE_FAMILIES) {
      const names = PRODUCT_CATALOGUE[family];
      const about = kb.articles.filter((a) => a.products.some((p) => names.includes(p)));
      expect({ family, setup: about.some((a) => a.category === 'setup'), troubleshooting: about.some((a) => a.category === 'troubleshooting') }).toEqual({
        family,
        setup: true,
        troubleshooting: true,
      });
    }
  });

  test('every article is between 150 and 500 words', async () => {
    const kb = await loadKnowledgeBase();
    for (const a of kb.articles.filter((x) => x.status === 'published')) {
      const words = a.body.split(/\s+/).filter((w) => w !== '').length;
      expect({ id: a.id, ok: words >= 150 && words <= 500 }).toEqual({ id: a.id, ok: true });
    }
  });
});

describe('bad article front matter is rejected naming the file and the field', () => {
  test.each<{ name: string; overrides: Record<string, string | null>; field: string; message: string }>([
    { name: 'status not draft|published', overrides: { status: 'live' }, field: 'status', message: 'expected draft|published' },
    { name: 'unknown category', overrides: { category: 'misc' }, field: 'category', message: 'expected shipping|' },
    { name: 'missing title', overrides: { title: null }, field: 'title', message: 'expected a title' },
    { name: 'id not kebab-case', overrides: { id: 'Foo_Bar' }, field: 'id', message: 'kebab-case' },
    { name: 'id differs from the file name', overrides: { id: 'bar' }, field: 'id', message: 'expected "foo"' },
    { name: 'date that is not a date', overrides: { updated: 'last tuesday' }, field: 'updated', message: 'ISO date' },
    { name: 'products not a list', overrides: { products: 'Voltline Cam 360' }, field: 'products', message: 'list of product names' },
    { name: 'misspelt key', overrides: { catgory: 'shipping' }, field: '(root)', message: 'unknown field(s) catgory' },
    { name: 'malformed locale', overrides: { locale: 'english' }, field: 'locale', message: 'locale such as en' },
  ])('$name', async ({ overrides, field, message }) => {
    const dir = await contentDir({ 'articles/foo.md': article(overrides) });
    const error = await loadError(dir);
    expect(error.code).toBe('SB_ERR_KNOWLEDGE');
    expect(error.message).toMatch(/articles\/foo\.md: /);
    expect(error.message).toContain(`foo.md: ${field}: `);
    expect(error.message).toContain(message);
    expect(error.details[0]?.path).toMatch(new RegExp(`articles/foo\\.md: ${field.replace(/[()]/g, '\\$&')}$`));
  });

  test('a file with no front matter or broken YAML names the file', async () => {
    const dir = await contentDir({ 'articles/foo.md': 'Just text.\n', 'articles/bar.md': '---\ntitle: [unclosed\n---\nText\n' });
    const error = await loadError(dir);
    const paths = error.details.map((d) => d.path);
    expect(paths.some((p) => p.endsWith('articles/foo.md: front matter'))).toBe(true);
    expect(paths.some((p) => p.endsWith('articles/bar.md: front matter'))).toBe(true);
  });

  test('an unquoted YAML date is accepted and kept as an ISO date', async () => {
    const dir = await contentDir({ 'articles/foo.md': article({ updated: '2025-03-01' }) });
    const kb = await loadKnowledgeBase(dir);
    expect(kb.articles[0]?.updated).toBe('2025-03-01');
    expect(kb.articles[0]?.locale).toBe('en');
  });

  test('two files with the same id are rejected, naming both files', async () => {
    const dir = await contentDir({ 'articles/foo.md': article() });
    await mkdir(path.join(dir, 'articles', 'archive'));
    await writeFile(path.join(dir, 'articles', 'archive', 'foo.md'), article());
    const error = await loadError(dir);
    expect(error.code).toBe('SB_ERR_KNOWLEDGE');
    const detail = error.details.find((d) => d.message.includes('duplicate id "foo"'));
    expect(detail?.path).toMatch(/articles\/foo\.md: id$/);
    expect(detail?.message).toMatch(/also used by .*articles\/archive\/foo\.md/);
  });

  test('a missing articles folder is an error, not an empty knowledge base', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-empty-'));
    dirs.push(dir);
    const error = await loadError(dir);
    expect(error.message).toContain('no articles folder');
  });
});
