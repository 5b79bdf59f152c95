import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_MAX_FALSE_START, DEFAULT_MIN_F1, main } from './cli.js';
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

  test('also measures the held-out set: in-domain accuracy and the false starts of negatives, under the default ceiling', async () => {
    const code = await main(['eval', '--json', '--folds', '2']);
    type HeldOut = { inDomain: number; negatives: number; accuracy: number; falseStartRate: number; rejectionRate: number; perIntent: Array<{ intent: string; f1: number }>; falseStarts: Array<{ text: string }> };
    const report = JSON.parse(out.join('')) as { pass: boolean; maxFalseStart: number; heldOut: HeldOut };
    expect(code).toBe(0);
    expect(report.maxFalseStart).toBe(DEFAULT_MAX_FALSE_START);
    const { heldOut } = report;
    expect(heldOut.inDomain).toBeGreaterThanOrEqual(1000);
    expect(heldOut.negatives).toBeGreaterThanOrEqual(300);
    expect(heldOut.falseStartRate).toBeLessThanOrEqual(DEFAULT_MAX_FALSE_START);
    expect(heldOut.rejectionRate).toBeGreaterThanOrEqual(0.95);
    expect(heldOut.accuracy).toBeGreaterThanOrEqual(0.88);
    expect(heldOut.perIntent.map((s) => s.intent)).toEqual(expect.arrayContaining(['info_returns', 'info_store', 'return_request', 'oos']));
    // The examples the bench would have started a flow on never include keyboard mash.
    expect(heldOut.falseStarts.map((f) => f.text)).not.toContain('asdkjh qwpoeiru');
    expect(err.join('')).toMatch(/held-out 1\d{3}\/1\d{3}/);
  });

  test('prints the held-out section and exits non-zero over a false-start ceiling it cannot meet', async () => {
    const code = await main(['eval', '--folds', '2', '--max-false-start', '0']);
    const text = out.join('');
    expect(text).toMatch(/Held-out evaluation: \d+ in-domain messages, \d+ negatives/);
    expect(text).toMatch(/negatives: rejected [\d.]+% {2}false starts [\d.]+% \(ceiling 0\.0%\)/);
    expect(text).toMatch(/oos_gibberish\.yaml +\d+ negatives, rejected +\d+, false starts 0/);
    expect(text).toMatch(/Negatives that started a flow:/);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/false-start rate [\d.]+ is over the ceiling 0/);
  });

  test('another intent folder is evaluated without the shop held-out set, unless one is given', async () => {
    const words = ['apple', 'brick', 'cloud', 'delta', 'ember', 'fjord', 'glyph', 'haiku', 'igloo', 'jumbo', 'kayak', 'lemon', 'mango', 'noble', 'otter', 'pixel', 'quilt', 'raven', 'sushi', 'tulip'];
    await writeFile(join(dir, 'a.yaml'), `name: a\nflow: a\nphrases:\n${words.slice(0, 10).map((w) => `  - ${w}\n`).join('')}`);
    await writeFile(join(dir, 'b.yaml'), `name: b\nphrases:\n${words.slice(10).map((w) => `  - ${w}\n`).join('')}`);
    expect(await main(['eval', '--dir', dir, '--folds', '2', '--json', '--min-f1', '0'])).toBe(0);
    expect(JSON.parse(out.join(''))).not.toHaveProperty('heldOut');
    const evalDir = join(dir, 'held');
    await mkdir(evalDir);
    await writeFile(join(evalDir, 'neg.yaml'), 'intent: oos\nmessages: [apple pie, zebra]\n');
    await writeFile(join(evalDir, 'a.yaml'), 'intent: a\nmessages: [brick wall]\n');
    out.length = 0;
    await main(['eval', '--dir', dir, '--eval-dir', evalDir, '--folds', '2', '--json', '--min-f1', '0', '--max-false-start', '1']);
    expect(JSON.parse(out.join('')).heldOut).toMatchObject({ inDomain: 1, negatives: 2 });
  });

  test('a held-out message that is also a training phrase is refused, naming it', async () => {
    const evalDir = join(dir, 'held');
    await mkdir(evalDir);
    await writeFile(join(evalDir, 'a.yaml'), 'intent: order_status\nmessages:\n  - Where is my order?\n');
    expect(await main(['eval', '--eval-dir', evalDir, '--folds', '2'])).toBe(1);
    expect(err.join('')).toMatch(/a\.yaml:3: "Where is my order\?" is also a training phrase of order_status/);
  });

  test('a bad --max-false-start is a usage error', async () => {
    expect(await main(['eval', '--max-false-start', '2'])).toBe(2);
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
