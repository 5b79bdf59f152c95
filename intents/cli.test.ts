import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_MIN_F1, main } from './cli.js';
import { loadIntentFiles } from './load.js';

let out: string[];
let err: string[];
let dir: string;
beforeEach(async () => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  dir = await mkdtemp(join(tmpdir(), 'sb-nlu-cli-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('nlu eval', () => {
  test('the shop intents pass their own cross-validation above the default floor, with a margin', async () => {
    const code = await main(['eval', '--json']);
    const report = JSON.parse(out.join('')) as { macroF1: number; pass: boolean; minF1: number; perIntent: Array<{ intent: string; f1: number }>; confusions: Array<{ examples: string[] }> };
    expect(code).toBe(0);
    expect(report.pass).toBe(true);
    expect(report.minF1).toBe(DEFAULT_MIN_F1);
    expect(report.macroF1).toBeGreaterThanOrEqual(DEFAULT_MIN_F1 + 0.05);
    expect(report.perIntent.map((s) => s.intent)).toContain('order_status');
    expect(err.join('')).toMatch(/fold 5\/5/);
  });

  test('exits non-zero under a macro-F1 floor it cannot meet, and says so', async () => {
    // Two intents whose phrases are unrelated words: nothing learnt in one fold carries to the other.
    const words = ['apple', 'brick', 'cloud', 'delta', 'ember', 'fjord', 'glyph', 'haiku', 'igloo', 'jumbo', 'kayak', 'lemon', 'mango', 'noble', 'otter', 'pixel', 'quilt', 'raven', 'sushi', 'tulip'];
    const intent = (name: string, offset: number): string => `name: ${name}\nphrases:\n${words.filter((_, i) => i % 2 === offset).map((w) => `  - ${w}\n`).join('')}`;
    await writeFile(join(dir, 'a.yaml'), intent('a', 0));
    await writeFile(join(dir, 'b.yaml'), intent('b', 1));
    const code = await main(['eval', '--dir', dir, '--min-f1', '0.999', '--folds', '2']);
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/Most confused/);
    expect(err.join('')).toMatch(/under the floor 0.999/);
  });

  test('a bad flag value is a usage error', async () => {
    expect(await main(['eval', '--min-f1', 'lots'])).toBe(2);
  });
});

describe('nlu import / export', () => {
  test('export to CSV, then import into an empty folder, gives the same phrases', async () => {
    const csv = join(dir, 'phrases.csv');
    expect(await main(['export', 'csv', csv])).toBe(0);
    const target = join(dir, 'imported');
    expect(await main(['import', 'csv', csv, '--dir', target])).toBe(0);
    const shop = await loadIntentFiles();
    const back = await loadIntentFiles(target);
    expect(back.map((i) => [i.name, i.phrases])).toEqual(shop.map((i) => [i.name, i.phrases]));
  });

  test('export then import of a Dialogflow zip rebuilds the intent files', async () => {
    const zip = join(dir, 'agent.zip');
    expect(await main(['export', 'dialogflow', zip])).toBe(0);
    const target = join(dir, 'df');
    expect(await main(['import', 'dialogflow', zip, '--dir', target])).toBe(0);
    expect(await loadIntentFiles(target)).toEqual(await loadIntentFiles());
  });

  test('a bad file is reported by line and nothing is written', async () => {
    const rasa = join(dir, 'nlu.yml');
    await writeFile(rasa, 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    hello\n');
    const target = join(dir, 'out');
    expect(await main(['import', 'rasa', rasa, '--dir', target])).toBe(1);
    expect(err.join('')).toMatch(/nlu\.yml:6/);
    await expect(readdir(target)).rejects.toThrow();
  });

  test('Rasa export writes a version 3.1 nlu file', async () => {
    const rasa = join(dir, 'nlu.yml');
    expect(await main(['export', 'rasa', rasa])).toBe(0);
    expect(await readFile(rasa, 'utf8')).toMatch(/version: "?3\.1"?/);
  });
});
