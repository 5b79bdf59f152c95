import { describe, expect, test } from 'vitest';
import { parseSafeYaml, type SafeYaml } from './yaml.js';

const pwned = (): unknown => (globalThis as { __sb_pwned?: unknown }).__sb_pwned;

function problems(result: SafeYaml): Array<{ line: number; message: string }> {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

/** Nine anchors, each nine aliases of the one before: 9^9 strings once expanded. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('YAML from content and imports is read as data, never as code', () => {
  test.each([
    ['a JavaScript function', 'title: ok\nrun: !!js/function "function () { globalThis.__sb_pwned = true }"\n', 2, '!!js/function'],
    ['JavaScript undefined', 'a: !!js/undefined ""\n', 1, '!!js/undefined'],
    ['a JavaScript regexp', 'a: !!js/regexp /x/\n', 1, '!!js/regexp'],
    ['a Python call', 'a: 1\nb: 2\nc: !!python/object/apply:os.system ["touch /tmp/pwned"]\n', 3, '!!python/object/apply:os.system'],
    ['binary data', 'a: !!binary aGVsbG8=\n', 1, '!!binary'],
    ['a YAML 1.1 timestamp', 'a: !!timestamp 2001-12-14\n', 1, '!!timestamp'],
    ['a set', 'a: !!set {x, y}\n', 1, '!!set'],
    ['a local tag', 'a: !shell "rm -rf /"\n', 1, '!shell'],
    ['a tag declared by a %TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: !e!widget x\n', 3, 'tag:example.com,2000:widget'],
  ])('%s is refused with the line, not kept as text', (_name, text, line, tag) => {
    const [first] = problems(parseSafeYaml(text));
    expect(first).toEqual({ line, message: expect.stringContaining(`tag ${tag} is not allowed`) as string });
    expect(pwned()).toBeUndefined();
  });

  test('the core tags still work', () => {
    expect(parseSafeYaml('a: !!str 12\nb: !!int "7"\n')).toMatchObject({ ok: true, value: { a: '12', b: 7 } });
  });

  test('a %YAML 1.1 directive does not switch on the 1.1 schema (yes/no, dates, merges stay plain)', () => {
    const result = parseSafeYaml('%YAML 1.1\n---\na: yes\nb: 2001-12-14\nc: 0755\n');
    expect(result).toMatchObject({ ok: true, value: { a: 'yes', b: '2001-12-14', c: 755 } });
  });
});

describe('YAML cannot exhaust memory, time or stack', () => {
  test('an alias expansion bomb (billion laughs) is refused, naming the first alias', () => {
    const [first] = problems(parseSafeYaml(billionLaughs()));
    expect(first).toEqual({ line: 2, message: expect.stringMatching(/aliases expand too far/) as string });
  });

  test('a few aliases are fine', () => {
    expect(parseSafeYaml('base: &base [a, b]\nfirst: *base\nsecond: *base\n')).toMatchObject({ ok: true, value: { first: ['a', 'b'], second: ['a', 'b'] } });
  });

  test('an alias to an anchor that does not exist is refused with its line', () => {
    expect(problems(parseSafeYaml('a: 1\nb: *nowhere\n'))).toEqual([{ line: 2, message: expect.stringMatching(/nowhere/) as string }]);
  });

  test('merge keys do not copy other mappings in: << stays an ordinary key', () => {
    expect(parseSafeYaml('base: &base {admin: true}\nuser:\n  <<: *base\n')).toMatchObject({ ok: true, value: { user: { '<<': { admin: true } } } });
  });

  test.each([
    ['flow lists', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
    ['flow mappings', `a: ${'{b: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`],
    ['indented mappings', Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['list items on one line', `${'- '.repeat(5_000)}x\n`],
  ])('deeply nested %s are refused before the parser recurses', (_name, text) => {
    const [first] = problems(parseSafeYaml(text));
    expect(first?.message).toBe('nested more than 64 levels deep');
  });

  test('a document over the byte limit is refused before it is parsed', () => {
    expect(problems(parseSafeYaml(`a: ${'é'.repeat(600)}\n`, { maxBytes: 1000 }))).toEqual([{ line: 1, message: 'is 1204 bytes; the limit is 1000' }]);
  });
});

describe('YAML keys', () => {
  test('a __proto__ key is refused and Object.prototype is untouched', () => {
    const result = parseSafeYaml('name: x\n__proto__:\n  polluted: true\n');
    expect(problems(result)).toEqual([{ line: 2, message: 'the key __proto__ is not allowed' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('constructor and prototype keys stay plain own data', () => {
    const result = parseSafeYaml('constructor:\n  prototype:\n    polluted: true\n');
    expect(result.ok && Object.getPrototypeOf(result.value) === Object.prototype).toBe(true);
    expect(result).toMatchObject({ ok: true, value: { constructor: { prototype: { polluted: true } } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a repeated key is an error, not the last value winning', () => {
    expect(problems(parseSafeYaml('status: draft\nstatus: published\n'))).toEqual([{ line: 2, message: expect.stringMatching(/unique/) as string }]);
  });

  test('a collection used as a key is an error', () => {
    expect(problems(parseSafeYaml('? [a, b]\n: 1\n'))[0]?.line).toBe(1);
  });
});

describe('YAML problems name the line of the file', () => {
  test('firstLine shifts every line (front matter starts on line 2)', () => {
    expect(problems(parseSafeYaml('a: 1\nb: !!binary eA==\n', { firstLine: 2 }))).toEqual([{ line: 3, message: expect.stringContaining('!!binary') as string }]);
    const ok = parseSafeYaml('a: 1\nb: 2\n', { firstLine: 2 });
    expect(ok.ok && ok.lineAt(ok.document.contents?.range?.[0] ?? -1)).toBe(2);
  });

  test('a second document is refused', () => {
    expect(problems(parseSafeYaml('a: 1\n---\nb: 2\n'))).toEqual([{ line: 2, message: expect.stringMatching(/second YAML document/) as string }]);
  });
});
