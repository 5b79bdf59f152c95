import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { readJsonl } from './dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-bench-nlu-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('benchmark JSON Lines reader', () => {
  test('reads every row and skips blank lines', () => {
    const path = file('ok.jsonl', '{"text": "hi", "intent": "greeting"}\n\n{"text": "weather?", "intent": "oos"}\n');
    expect(readJsonl(path)).toEqual([
      { text: 'hi', intent: 'greeting' },
      { text: 'weather?', intent: 'oos' },
    ]);
  });

  test.each([
    ['broken JSON', '{"text": "hi", "intent": "greeting"}\n{"text": "oops"\n', 2, /not valid JSON/],
    ['a missing intent', '{"text": "hi", "intent": "greeting"}\n{"text": "hi", "intent": "a"}\n{"text": "no label"}\n', 3, /intent/],
    ['an empty text', '{"text": "", "intent": "greeting"}\n', 1, /text/],
  ])('names the file and line of %s', (name, content, line, reason) => {
    const path = file(`${name.replace(/ /g, '-')}.jsonl`, content);
    let error: unknown;
    try {
      readJsonl(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as Error).message).toContain(`${path}:${line}:`);
    expect((error as Error).message).toMatch(reason);
  });

  test('names a missing file', () => {
    expect(() => readJsonl(join(dir, 'absent.jsonl'))).toThrow(/absent\.jsonl/);
  });

  test('refuses an empty file rather than benchmarking nothing', () => {
    expect(() => readJsonl(file('empty.jsonl', '\n'))).toThrow(/holds no rows/);
  });
});
