import { describe, expect, test } from 'vitest';
import { findUnstorableText, isStorableText, StorableTextSchema } from './text.js';

describe('text the database can store', () => {
  test.each([
    ['plain text', 'where is my order?', true],
    ['emoji (a surrogate pair)', 'thanks 😀', true],
    ['other control characters', 'tab\tand\u0001', true],
    ['U+0000', 'a\u0000b', false],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone low surrogate', '\udc00', false],
    ['a pair written the wrong way round', '\ude00\ud83d', false],
  ])('%s: storable = %s', (_name, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
    expect(StorableTextSchema.safeParse(text).success).toBe(storable);
  });
});

describe('findUnstorableText names every field that cannot be stored', () => {
  test.each([
    ['a top-level field', '{"text":"hi\\u0000"}', '', ['text']],
    ['an array element deep inside', '{"articles":[{},{},{"body":"\\ud800"}]}', '', ['articles[2].body']],
    ['a field name', '{"ok\\u0000":"v"}', '', ['ok\\u0000']],
    ['__proto__ and constructor keys, as plain names', '{"__proto__":{"x":"\\u0000"},"constructor":{"prototype":"\\udc00"}}', '', ['__proto__.x', 'constructor.prototype']],
    ['a query string', '{"after":"\\u0000"}', 'query', ['query.after']],
    ['nothing wrong', '{"text":"😀","n":1,"b":true,"z":null,"a":[]}', '', []],
  ])('%s', (_name, json, prefix, paths) => {
    const found = findUnstorableText(JSON.parse(json), prefix);
    expect(found.map((d) => d.path).sort()).toEqual([...paths].sort());
    // Parsing a __proto__ key must not have touched any prototype.
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('a body nested 100,000 deep neither overflows the stack nor comes back as a huge path', () => {
    const json = `${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`;
    const [found] = findUnstorableText(JSON.parse(json));
    expect(found?.message).toContain('NUL');
    expect(found!.path.length).toBeLessThanOrEqual(201);
  });

  test('stops at the limit on a body full of bad strings', () => {
    expect(findUnstorableText(Array.from({ length: 10_000 }, () => '\u0000'))).toHaveLength(20);
  });
});
