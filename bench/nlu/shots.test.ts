import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readJsonl, type LabelledRow } from './dataset.js';
import { readSplits, sampleShots } from './shots.js';

// 3 intents with 12, 7 and 3 rows (the last fewer than the shots asked for), interleaved as in CLINC150.
const train: LabelledRow[] = [];
for (let i = 0; i < 12; i++) {
  train.push({ text: `track parcel ${i}`, intent: 'track' });
  if (i < 7) train.push({ text: `refund please ${i}`, intent: 'refund' });
  if (i < 3) train.push({ text: `weather today ${i}`, intent: 'oos' });
}
const countBy = (rows: readonly LabelledRow[]): Record<string, number> =>
  rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.intent]: (acc[r.intent] ?? 0) + 1 }), {});

describe('--shots sampling', () => {
  test('draws N rows of every intent, oos included, and all rows of a smaller intent', () => {
    expect(countBy(sampleShots(train, 5, 1))).toEqual({ track: 5, refund: 5, oos: 3 });
  });

  test('the same seed gives the same rows; another seed gives others', () => {
    expect(sampleShots(train, 5, 7)).toEqual(sampleShots(train, 5, 7));
    const seeds = [1, 2, 3, 4].map((seed) => JSON.stringify(sampleShots(train, 5, seed)));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  test('does not depend on where an intent first appears in the file', () => {
    const texts = (rows: LabelledRow[]): string[] => rows.map((r) => r.text).sort();
    const intentOrderSwapped = [...train.filter((r) => r.intent !== 'track'), ...train.filter((r) => r.intent === 'track')];
    expect(texts(sampleShots(intentOrderSwapped, 4, 3))).toEqual(texts(sampleShots(train, 4, 3)));
  });

  test('keeps the chosen rows in file order and never duplicates one', () => {
    const sample = sampleShots(train, 5, 2);
    const positions = sample.map((r) => train.indexOf(r));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(sample.length);
  });

  test.each([0, -1, 2.5, Number.NaN])('refuses %s shots', (shots) => {
    expect(() => sampleShots(train, shots, 1)).toThrow(RangeError);
  });

  test('samples the train file only: the test file is read whole and none of it is trained on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-shots-'));
    const write = (name: string, rows: readonly LabelledRow[]): string => {
      const path = join(dir, name);
      writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n'));
      return path;
    };
    const testRows: LabelledRow[] = [
      { text: 'where is my parcel', intent: 'track' },
      { text: 'money back', intent: 'refund' },
      { text: 'tell me a joke', intent: 'oos' },
    ];
    const files = { train: write('train.jsonl', train), test: write('test.jsonl', testRows) };
    const splits = readSplits(files, readJsonl, { shots: 2, seed: 1 });
    expect(countBy(splits.train)).toEqual({ track: 2, refund: 2, oos: 2 });
    const trainTexts = new Set(train.map((r) => r.text));
    expect(splits.train.every((r) => trainTexts.has(r.text))).toBe(true);
    expect(splits.train.some((r) => testRows.some((t) => t.text === r.text))).toBe(false);
    expect(splits.test).toEqual(testRows);
    expect(readSplits(files, readJsonl).train).toHaveLength(train.length);
  });
});
