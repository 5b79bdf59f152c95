import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { SwitchboardError } from '../core/errors.js';
import { intentActions, loadIntentFiles, MIN_PHRASES } from './index.js';

const FLOWS: Record<string, string> = {
  order_status: 'order_status', order_cancel: 'order_change', order_change_address: 'order_change', return_request: 'returns',
  exchange_request: 'returns', refund_status: 'refund_status', delivery_problem: 'delivery_problem', payment_declined: 'payment',
  payment_double_charge: 'payment', account_access: 'account', password_reset: 'account', warranty: 'warranty',
  product_question: 'knowledge', troubleshoot_wifi: 'troubleshooting', troubleshoot_pairing: 'troubleshooting',
  troubleshoot_device_offline: 'troubleshooting', troubleshoot_firmware: 'troubleshooting', troubleshoot_audio: 'troubleshooting',
  complaint: 'handoff', human_agent: 'handoff',
};

describe('the shop intents', () => {
  test('load, validate and start the flows the bot is keyed by', async () => {
    const intents = await loadIntentFiles();
    const actions = intentActions(intents);
    for (const [intent, flow] of Object.entries(FLOWS)) expect(actions.get(intent)?.flow, intent).toBe(flow);
    for (const intent of ['greeting', 'thanks', 'goodbye']) expect(actions.get(intent)?.responses.length, intent).toBeGreaterThan(0);
    for (const intent of ['affirm', 'deny']) {
      expect(actions.get(intent)?.flow, intent).toBeUndefined();
      expect(actions.get(intent)?.responses, intent).toEqual([]);
    }
    expect(actions.get('human_agent')?.humanOnly).toBe(true);
    expect(actions.has('oos')).toBe(false);
    expect(intents.find((i) => i.name === 'oos')?.phrases.length).toBeGreaterThanOrEqual(40);
    for (const intent of intents) expect(intent.phrases.length, intent.name).toBeGreaterThanOrEqual(25);
  });
});

const phrases = (stem: string, n = MIN_PHRASES): string[] => Array.from({ length: n }, (_, i) => `${stem} phrase number ${i}`);
const good = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, description: 'd', locale: 'en', phrases: phrases(name), entities: [], ...extra });

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function folder(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'sb-intents-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function loadError(files: Record<string, string>): Promise<SwitchboardError> {
  const error = await loadIntentFiles(await folder(files)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SwitchboardError);
  return error as SwitchboardError;
}

describe('invalid intent files are rejected with the file and field named', () => {
  test.each([
    ['too few phrases', { 'a.yaml': stringify(good('a', { phrases: ['only one'] })) }, 'a.yaml:phrases', /at least 10.*\(line 5\)/],
    ['a name that differs from the file name', { 'a.yaml': stringify(good('b')) }, 'a.yaml:name', /file is named "a"/],
    ['an unknown entity type', { 'a.yaml': stringify(good('a', { entities: ['order_number', 'shoe_size'] })) }, 'a.yaml:entities[1]', /./],
    ['both a flow and responses', { 'a.yaml': stringify(good('a', { flow: 'x', responses: ['hi'] })) }, 'a.yaml:responses', /both flow and responses/],
    ['an unknown field', { 'a.yaml': stringify(good('a', { phrasse: [] })) }, 'a.yaml', /phrasse/],
    ['a missing name', { 'a.yaml': stringify({ ...good('a'), name: undefined }) }, 'a.yaml:name', /./],
    ['an empty phrase', { 'a.yaml': stringify(good('a', { phrases: [...phrases('a'), '  '] })) }, 'a.yaml:phrases[10]', /empty/],
    ['a YAML syntax error, by line', { 'a.yaml': 'name: a\nphrases:\n  - one\n   - two: [\n' }, 'a.yaml:3', /./],
  ])('%s', async (_case, files, path, message) => {
    const error = await loadError(files);
    expect(error.code).toBe('SB_ERR_INTENTS');
    const detail = error.details.find((d) => d.path.endsWith(path) && message.test(d.message));
    expect(detail, JSON.stringify(error.details)).toBeDefined();
  });

  test('the same phrase in two intents names both files', async () => {
    const error = await loadError({
      'a.yaml': stringify(good('a', { phrases: [...phrases('a'), 'Where is my ORDER?'] })),
      'b.yaml': stringify(good('b', { phrases: [...phrases('b'), 'where is my order'] })),
    });
    const detail = error.details.find((d) => d.message.includes('where is my order') || d.message.includes('Where is my ORDER'));
    expect(detail?.path).toMatch(/b\.yaml:phrases\[10\]$/);
    expect(detail?.message).toMatch(/a\.yaml/);
    expect(detail?.message).toMatch(/\(line \d+\)$/);
  });

  test('a folder without intent files is an error, not an empty bot', async () => {
    const error = await loadError({ 'readme.txt': 'nothing here' });
    expect(error.code).toBe('SB_ERR_INTENTS');
  });

  test('valid files load sorted by name', async () => {
    const intents = await loadIntentFiles(await folder({ 'b.yaml': stringify(good('b')), 'a.yaml': stringify(good('a', { flow: 'x' })) }));
    expect(intents.map((i) => i.name)).toEqual(['a', 'b']);
    expect(intents[0]).toMatchObject({ flow: 'x', humanOnly: false, locale: 'en' });
  });
});
