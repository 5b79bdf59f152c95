import JSZip from 'jszip';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { loadIntentFiles } from '../load.js';
import type { IntentFile } from '../schema.js';
import { exportCsv, exportDialogflowZip, exportRasa, importCsv, importDialogflowZip, importRasa, writeIntentFiles } from './index.js';

let shop: IntentFile[];
beforeAll(async () => {
  shop = await loadIntentFiles();
});

const phrases = (intents: readonly IntentFile[]): Record<string, string[]> => Object.fromEntries(intents.map((i) => [i.name, i.phrases]));

async function rejection(run: () => unknown): Promise<SwitchboardError> {
  const error = await Promise.resolve().then(run).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SwitchboardError);
  expect((error as SwitchboardError).code).toBe('SB_ERR_IMPORT');
  return error as SwitchboardError;
}

const ten = (stem: string): string[] => Array.from({ length: 10 }, (_, i) => `${stem} ${i}`);

describe('round trips keep every intent and phrase', () => {
  test('Dialogflow ES agent zip keeps phrases, flows, responses, entities and the human-only flag', async () => {
    const back = await importDialogflowZip(await exportDialogflowZip(shop));
    expect(back).toEqual(shop);
  });

  test('Rasa nlu.yml keeps phrases and, merged into existing files, their flows', () => {
    const text = exportRasa(shop);
    expect(text).toMatch(/^version: "?3\.1"?\nnlu:\n {2}- intent: /);
    expect(phrases(importRasa(text))).toEqual(phrases(shop));
    expect(importRasa(text, shop)).toEqual(shop);
  });

  test('CSV keeps phrases, including commas, quotes and formula-like text', () => {
    const tricky: IntentFile[] = [
      { ...shop[0]!, phrases: [...ten('plain'), 'a, "quoted" phrase', '=HYPERLINK("http://evil")', '+1 more', '-minus', '@mention'] },
      shop[1]!,
    ];
    const csv = exportCsv(tricky);
    expect(csv.startsWith('phrase,intent\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(`'+1 more`);
    expect(csv).not.toMatch(/^[=+\-@]/m);
    expect(importCsv(csv, tricky)).toEqual(tricky);
    expect(phrases(importCsv(exportCsv(shop)))).toEqual(phrases(shop));
  });
});

describe('bad import files are rejected with where the problem is, and nothing is imported', () => {
  test.each([
    ['a row with three cells', `phrase,intent\n${ten('a').map((p) => `${p},a`).join('\n')}\nhello,a,extra\n`, 'phrases.csv:12'],
    ['a missing header', 'hello,a\n', 'phrases.csv:1'],
    ['an unclosed quote', `phrase,intent\n${ten('a').map((p) => `${p},a`).join('\n')}\n"never closed,a\n`, 'phrases.csv:12'],
    ['an empty intent', `phrase,intent\nhello,\n`, 'phrases.csv:2'],
  ])('CSV with %s', async (_case, text, path) => {
    const error = await rejection(() => importCsv(text));
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  test('CSV whose intent has too few phrases names the intent', async () => {
    const error = await rejection(() => importCsv('phrase,intent\nhello,greet\n'));
    expect(error.details[0]?.path).toMatch(/intent greet.*phrases/);
  });

  test.each([
    ['an example without "- "', 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    hello there\n', 'nlu.yml:6'],
    ['an entry without an intent name', 'version: "3.1"\nnlu:\n- examples: |\n    - hi\n', 'nlu.yml:3'],
    ['no nlu list', 'version: "3.1"\nrules: []\n', 'nlu.yml:1'],
    ['a YAML syntax error', 'version: "3.1"\nnlu:\n- intent: greet\n  examples: [\n', 'nlu.yml:5'],
  ])('Rasa with %s', async (_case, text, path) => {
    const error = await rejection(() => importRasa(text));
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  test('Rasa entity annotations keep their text', () => {
    const examples = ten('where is order').map((p) => `    - ${p}`).join('\n');
    const [intent] = importRasa(`version: "3.1"\nnlu:\n- intent: order_status\n  examples: |\n    - has [100234](order_number) shipped\n${examples}\n`);
    expect(intent?.phrases[0]).toBe('has 100234 shipped');
  });

  test('a zip with a ../ entry (zip-slip) is rejected by entry name', async () => {
    const zip = await JSZip.loadAsync(await exportDialogflowZip(shop.slice(0, 2)));
    zip.file('../../etc/cron.d/evil', 'boom');
    const error = await rejection(() => zip.generateAsync({ type: 'uint8array' }).then((d) => importDialogflowZip(d)));
    expect(error.details).toEqual([{ path: '../../etc/cron.d/evil', message: expect.stringMatching(/zip-slip/) }]);
  });

  test('a zip with an absolute entry path is rejected', async () => {
    const zip = new JSZip();
    zip.file('agent.json', '{}');
    zip.file('/tmp/intents/x.json', '{}');
    const error = await rejection(async () => importDialogflowZip(await zip.generateAsync({ type: 'uint8array' })));
    expect(error.details[0]?.path).toBe('/tmp/intents/x.json');
  });

  test('a zip entry with broken JSON is named', async () => {
    const zip = await JSZip.loadAsync(await exportDialogflowZip(shop.slice(0, 2)));
    zip.file(`intents/${shop[0]!.name}_usersays_en.json`, '[{"data": [');
    const error = await rejection(async () => importDialogflowZip(await zip.generateAsync({ type: 'uint8array' })));
    expect(error.details[0]?.path).toBe(`intents/${shop[0]!.name}_usersays_en.json`);
  });

  test('a file that is not a zip is rejected', async () => {
    await rejection(() => importDialogflowZip(new TextEncoder().encode('not a zip')));
  });
});

describe('writing intent files', () => {
  test('writes one YAML file per intent that loads back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-intents-write-'));
    try {
      await writeIntentFiles(dir, shop);
      expect((await readdir(dir)).sort()).toEqual(shop.map((i) => `${i.name}.yaml`).sort());
      expect(await loadIntentFiles(dir)).toEqual(shop);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
