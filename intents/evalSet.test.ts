import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../core/errors.js';
import { loadEvalSet, trainingOverlap, type EvalSet } from './evalSet.js';
import { loadIntentFiles } from './load.js';
import { normalizePhrase, type IntentFile } from './schema.js';

let intents: IntentFile[];
let set: EvalSet;
beforeAll(async () => {
  intents = await loadIntentFiles();
  set = await loadEvalSet(undefined, intents.map((i) => i.name));
});

describe("the shop's held-out evaluation set", () => {
  test('has at least 300 negatives and 1,000 in-domain messages', () => {
    expect(set.negatives.length).toBeGreaterThanOrEqual(300);
    expect(set.inDomain.length).toBeGreaterThanOrEqual(1000);
    expect(set.negatives.every((m) => m.intent === 'oos')).toBe(true);
  });

  test('covers every shop intent, the busy ones more', () => {
    const count = new Map<string, number>();
    for (const m of set.inDomain) count.set(m.intent, (count.get(m.intent) ?? 0) + 1);
    for (const intent of intents.filter((i) => i.name !== 'oos')) expect(count.get(intent.name) ?? 0, intent.name).toBeGreaterThanOrEqual(20);
    expect(count.get('order_status')!).toBeGreaterThan(count.get('greeting')!);
  });

  test('shares no message with the training phrases, ignoring case and punctuation', () => {
    expect(trainingOverlap(set, intents)).toEqual([]);
  });

  test('has no message twice', () => {
    const keys = [...set.inDomain, ...set.negatives].map((m) => normalizePhrase(m.text) || m.text);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('names where each message is written', () => {
    expect(set.negatives.find((m) => m.text === 'xkcd blorp')?.source).toMatch(/oos_gibberish\.yaml:\d+$/);
  });

  test('an overlap is reported with the intent that trains it', () => {
    const leaked = trainingOverlap({ inDomain: [{ text: 'Where is my order?', intent: 'order_status', source: 'x.yaml:3' }], negatives: [] }, intents);
    expect(leaked).toEqual([{ text: 'Where is my order?', intent: 'order_status', source: 'x.yaml:3', trainedAs: 'order_status' }]);
  });
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function loadError(files: Record<string, string>, known?: string[]): Promise<SwitchboardError> {
  dir = await mkdtemp(join(tmpdir(), 'sb-eval-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const error = await loadEvalSet(dir, known).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SwitchboardError);
  return error as SwitchboardError;
}

describe('invalid evaluation files are rejected with the file and line named', () => {
  test.each([
    ['no messages', { 'a.yaml': 'intent: order_status\nmessages: []\n' }, /a\.yaml:messages/, /at least one message/],
    ['an unknown field', { 'a.yaml': 'intent: order_status\nphrases: [hi]\nmessages: [hi]\n' }, /a\.yaml/, /phrases/],
    ['a name that is not an intent name', { 'a.yaml': 'intent: Order Status\nmessages: [hi]\n' }, /a\.yaml:intent/, /snake_case/],
    ['a number where a message should be', { 'a.yaml': 'intent: order_status\nmessages:\n  - 100234\n' }, /a\.yaml:messages\.0/, /line 3/],
    ['the same message twice', { 'a.yaml': 'intent: order_status\nmessages:\n  - Where is it?\n', 'b.yaml': 'intent: oos\nmessages:\n  - where is it\n' }, /b\.yaml:3/, /already at .*a\.yaml:3/],
    ['a YAML tag', { 'a.yaml': 'intent: !!js/function x\nmessages: [hi]\n' }, /a\.yaml:1/, /tag/],
  ])('%s', async (_name, files, path, message) => {
    const error = await loadError(files);
    expect(error.code).toBe('SB_ERR_INTENTS');
    expect(error.details.some((d) => path.test(d.path) && message.test(d.message)), JSON.stringify(error.details)).toBe(true);
  });

  test('an intent the intent files do not have', async () => {
    const error = await loadError({ 'a.yaml': 'intent: teleport\nmessages: [beam me up]\n' }, ['order_status']);
    expect(error.details).toEqual([{ path: expect.stringMatching(/a\.yaml:intent$/), message: '"teleport" is not an intent of the intent files' }]);
  });

  test('an empty folder', async () => {
    expect((await loadError({})).message).toMatch(/No evaluation files/);
  });
});
