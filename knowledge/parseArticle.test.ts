import { describe, expect, test } from 'vitest';
import { MAX_ARTICLE_BYTES, parseArticle, type ParseResult } from './parseArticle.js';
import type { Article } from './articleSchema.js';
import { articleSource, codeExecutingArticle, jsFunctionTagArticle, pwned } from './store/testArticles.js';

function refusal(result: ParseResult<Article>): { field: string; message: string } {
  expect(result.ok).toBe(false);
  const first = result.ok ? undefined : result.problems[0];
  return { field: first?.field ?? '', message: first?.message ?? '' };
}

describe('article front matter is YAML and nothing else', () => {
  test.each(['js', 'javascript', 'coffee'] as const)('---%s front matter is refused naming line 1, and nothing runs', (engine) => {
    const problem = refusal(parseArticle(codeExecutingArticle('tips', engine), 'tips.md'));
    expect(problem).toEqual({ field: 'front matter', message: `line 1: front matter must be YAML (opening line ---), found ---${engine}` });
    expect(pwned()).toBeUndefined();
  });

  test.each(['---json', '---yaml', '--- js', '----', '---toml', `---${'x'.repeat(100)}`])('an opening line %j is refused', (opening) => {
    const source = articleSource('tips').replace(/^---/, opening);
    const problem = refusal(parseArticle(source, 'tips.md'));
    expect(problem.message).toMatch(/^line 1: front matter must be YAML \(opening line ---\), found ---/);
    expect(problem.message.length).toBeLessThan(120);
  });

  test('a YAML tag that asks for a JavaScript function is refused naming its line', () => {
    const problem = refusal(parseArticle(jsFunctionTagArticle('tips'), 'tips.md'));
    expect(problem).toEqual({ field: 'front matter', message: expect.stringMatching(/^line 3: tag !!js\/function is not allowed/) as string });
    expect(pwned()).toBeUndefined();
  });

  test('an alias bomb in the front matter is refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'];
    const problem = refusal(parseArticle(articleSource('tips', { extra: bomb.join('\n') }), 'tips.md'));
    expect(problem.message).toMatch(/^line \d+: aliases expand too far/);
  });

  test('a __proto__ key is refused and pollutes nothing', () => {
    const problem = refusal(parseArticle(articleSource('tips', { extra: '__proto__:\n  polluted: true' }), 'tips.md'));
    expect(problem.message).toBe('line 7: the key __proto__ is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('front matter over 16 KiB and articles over 1 MiB are refused', () => {
    const longFrontMatter = articleSource('tips', { extra: `# ${'x'.repeat(17 * 1024)}` });
    expect(refusal(parseArticle(longFrontMatter, 'tips.md')).message).toMatch(/^line 2: is \d+ bytes; the limit is 16384/);
    const longBody = articleSource('tips', { body: 'word '.repeat(MAX_ARTICLE_BYTES / 5 + 1) });
    expect(refusal(parseArticle(longBody, 'tips.md')).message).toMatch(/^line 1: the article is \d+ bytes; the limit is 1048576/);
  });

  test.each([
    ['no front matter', 'Just text.\n', /^line 1: missing/],
    ['front matter that is never closed', '---\nid: tips\n', /^line 1: the front matter is never closed/],
    ['front matter that is a list', '---\n- id: tips\n---\nBody.\n', /^line 2: expected YAML fields/],
    ['empty front matter', '---\n---\nBody.\n', /^line 2: expected YAML fields/],
    ['two YAML documents', '---\nid: tips\n...\ntitle: x\n---\nBody.\n', /^line 4: a second YAML document/],
  ])('%s is refused naming the line', (_name, source, message) => {
    expect(refusal(parseArticle(source, 'tips.md'))).toEqual({ field: 'front matter', message: expect.stringMatching(message) as string });
  });
});

describe('ordinary articles still parse', () => {
  test('trailing spaces after ---, Windows line ends and a byte-order mark are accepted', () => {
    const source = `\uFEFF${articleSource('tips').replace(/^---\n/, '---  \n').replace(/\n/g, '\r\n')}`;
    const result = parseArticle(source, 'tips.md');
    expect(result).toMatchObject({ ok: true, value: { id: 'tips', title: 'Article tips', updated: '2025-03-01' } });
  });

  test('a --- line inside the body stays in the body', () => {
    const result = parseArticle(articleSource('tips', { body: 'Before.\n\n---\n\nAfter the rule.' }), 'tips.md');
    expect(result.ok && result.value.body).toBe('Before.\n\n---\n\nAfter the rule.');
  });
});
