import JSZip from 'jszip';
import { beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { loadIntentFiles } from '../load.js';
import type { IntentFile } from '../schema.js';
import { ZIP_LIMITS, type ZipLimits } from './boundedZip.js';
import { CSV_LIMITS, parseCsvRows } from './csv.js';
import { MAX_RASA_BYTES } from './rasa.js';
import { exportCsv, exportDialogflowZip, importCsv, importDialogflowZip, importRasa } from './index.js';

let shop: IntentFile[];
beforeAll(async () => {
  shop = await loadIntentFiles();
});

const pwned = (): unknown => (globalThis as { __sb_pwned?: unknown }).__sb_pwned;
const ten = (stem: string): string => Array.from({ length: 10 }, (_, i) => `    - ${stem} ${i}`).join('\n');

async function rejection(run: () => unknown): Promise<SwitchboardError> {
  const error = await Promise.resolve().then(run).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SwitchboardError);
  expect((error as SwitchboardError).code).toBe('SB_ERR_IMPORT');
  return error as SwitchboardError;
}

describe('a Rasa nlu.yml is YAML data and nothing else', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');

  test.each([
    ['a JavaScript function tag', `version: "3.1"\nnlu:\n- intent: !!js/function "function () { globalThis.__sb_pwned = true }"\n  examples: |\n${ten('hi')}\n`, 'nlu.yml:3', /tag !!js\/function is not allowed/],
    ['a Python object tag', `version: "3.1"\nnlu:\n- intent: greet\n  examples: !!python/object/apply:os.system ["touch /tmp/pwned"]\n`, 'nlu.yml:4', /tag !!python\/object\/apply:os\.system is not allowed/],
    ['an alias expansion bomb', `${bomb}\nversion: "3.1"\nnlu: []\n`, 'nlu.yml:2', /aliases expand too far/],
    ['a __proto__ key', `version: "3.1"\n__proto__:\n  polluted: true\nnlu: []\n`, 'nlu.yml:2', /__proto__ is not allowed/],
  ])('%s is refused naming the line; nothing runs', async (_name, text, path, message) => {
    const error = await rejection(() => importRasa(text));
    expect(error.details).toContainEqual({ path, message: expect.stringMatching(message) as string });
    expect(pwned()).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a file over the size limit is refused before it is parsed', async () => {
    const error = await rejection(() => importRasa(`# ${'x'.repeat(MAX_RASA_BYTES)}\n`));
    expect(error.details[0]).toEqual({ path: 'nlu.yml:1', message: expect.stringMatching(/the limit is/) as string });
  });
});

describe('CSV phrases', () => {
  test('export neutralises every formula starter, even behind quotes, and import gives the text back', () => {
    const tricky = ['=1+1', '+SUM(A1)', '-2', '@cmd', "'=already quoted", "''+two quotes", "it's fine", '=HYPERLINK("http://evil","x")'];
    const intents: IntentFile[] = [{ ...shop[0]!, phrases: [...shop[0]!.phrases, ...tricky] }, shop[1]!];
    const csv = exportCsv(intents);
    for (const line of csv.split('\r\n').slice(1)) expect(line, line).not.toMatch(/^"?[=+\-@\t\r]/);
    expect(csv).toContain(`''=already quoted`);
    expect(importCsv(csv, intents)).toEqual(intents);
  });

  test('a cell longer than the limit is refused naming its line, before the rest of the file is read', async () => {
    const error = await rejection(() => importCsv(`phrase,intent\nhello,greet\n"${'x'.repeat(CSV_LIMITS.maxCellChars + 1)}`));
    expect(error.details).toEqual([{ path: 'phrases.csv:3', message: `a cell is longer than ${CSV_LIMITS.maxCellChars} characters` }]);
  });

  test('a row with too many cells is refused naming its line', async () => {
    const error = await rejection(() => importCsv(`phrase,intent\n${','.repeat(10_000)}\n`));
    expect(error.details).toEqual([{ path: 'phrases.csv:2', message: `a row has more than ${CSV_LIMITS.maxCellsPerRow} cells` }]);
  });

  test('too many rows or bytes are refused', () => {
    expect(parseCsvRows('a,b\nc,d\ne,f\n', { ...CSV_LIMITS, maxRows: 2 })).toEqual({ line: 3, message: 'more than 2 rows' });
    expect(parseCsvRows('a,b\nc,d\n', { ...CSV_LIMITS, maxBytes: 4 })).toEqual({ line: 1, message: 'the file is 8 bytes; the limit is 4' });
  });
});

/** Sets the uncompressed size that local and central headers declare for every entry of `actual` bytes. */
function lieAboutSizes(zip: Uint8Array, actual: number, declared: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 30 <= out.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && view.getUint32(at + 22, true) === actual) view.setUint32(at + 22, declared, true);
    if (signature === 0x02014b50 && view.getUint32(at + 24, true) === actual) view.setUint32(at + 24, declared, true);
  }
  return out;
}

async function agentZip(extra: Record<string, string | Uint8Array> = {}): Promise<JSZip> {
  const zip = await JSZip.loadAsync(await exportDialogflowZip(shop.slice(0, 2)));
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip;
}

const deflated = (zip: JSZip): Promise<Uint8Array> => zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });

describe('Dialogflow zips cannot exhaust memory', () => {
  const bombBytes = ZIP_LIMITS.maxEntryBytes + 1024 * 1024;

  test('an entry that declares more than the limit is refused before anything is inflated', async () => {
    const data = await deflated(await agentZip({ 'intents/bomb.json': new Uint8Array(bombBytes) }));
    expect(data.byteLength).toBeLessThan(100_000);
    const error = await rejection(() => importDialogflowZip(data));
    expect(error.details).toEqual([{ path: 'intents/bomb.json', message: `unpacks to ${bombBytes} bytes; the limit is ${ZIP_LIMITS.maxEntryBytes}` }]);
  });

  test('an entry whose header lies about its size is stopped while inflating', async () => {
    const data = lieAboutSizes(await deflated(await agentZip({ 'intents/bomb.json': new Uint8Array(bombBytes) })), bombBytes, 100);
    const error = await rejection(() => importDialogflowZip(data));
    expect(error.details).toEqual([{ path: 'intents/bomb.json', message: `unpacks to more than the limit of ${ZIP_LIMITS.maxEntryBytes} bytes` }]);
  });

  test('entries that are small one by one but too much together are refused', async () => {
    const limits: ZipLimits = { ...ZIP_LIMITS, maxEntryBytes: 4096, maxTotalBytes: 6000 };
    const zip = await agentZip();
    const names = Object.keys(zip.files).filter((n) => /^intents\/.*\.json$/.test(n));
    for (const name of names) zip.file(name, `${JSON.stringify({ name: 'x' })}${' '.repeat(3000)}`);
    const error = await rejection(() => deflated(zip).then((d) => importDialogflowZip(d, undefined, limits)));
    expect(error.details[0]?.message).toMatch(/unpacks to (more than the limit of )?\d+ bytes/);
  });

  test('an archive with more entries than the limit is refused', async () => {
    const zip = await agentZip(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`padding/${i}.txt`, 'x'])));
    const error = await rejection(() => deflated(zip).then((d) => importDialogflowZip(d, undefined, { ...ZIP_LIMITS, maxEntries: 10 })));
    expect(error.details).toEqual([{ path: '(archive)', message: expect.stringMatching(/^has \d+ entries; the limit is 10$/) as string }]);
  });

  test('an archive over the compressed size limit is refused unread', async () => {
    const data = await deflated(await agentZip());
    const error = await rejection(() => importDialogflowZip(data, undefined, { ...ZIP_LIMITS, maxArchiveBytes: 100 }));
    expect(error.details).toEqual([{ path: '(archive)', message: `is ${data.byteLength} bytes; the limit is 100` }]);
  });
});

describe('Dialogflow zips cannot escape their folder or pollute prototypes', () => {
  test.each(['..\\..\\windows\\evil.json', 'C:/evil.json', 'intents/../../evil.json', '\\\\server\\share\\evil.json'])('an entry named %j is refused by name', async (name) => {
    const error = await rejection(async () => importDialogflowZip(await deflated(await agentZip({ [name]: '{}' }))));
    expect(error.details.map((d) => d.path)).toContain(name);
    expect(error.details[0]?.message).toMatch(/zip-slip/);
  });

  test('__proto__ and constructor keys in intent JSON stay data and pollute nothing', async () => {
    const zip = await agentZip();
    const name = `intents/${shop[0]!.name}.json`;
    const json = JSON.parse((await zip.file(name)!.async('string'))) as Record<string, unknown>;
    const hostile = JSON.stringify(json).replace(/^\{/, '{"__proto__":{"polluted":true,"fallbackIntent":true},"constructor":{"prototype":{"polluted":true}},');
    zip.file(name, hostile);
    const imported = await importDialogflowZip(await deflated(zip));
    expect(imported.map((i) => i.name)).toEqual(shop.slice(0, 2).map((i) => i.name));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).fallbackIntent).toBeUndefined();
  });
});
