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
  info_returns: 'knowledge', info_warranty: 'knowledge', info_shipping: 'knowledge', info_payment: 'knowledge', info_store: 'knowledge',
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

describe('intent files are YAML data and nothing else', () => {
  const pwned = (): unknown => (globalThis as { __sb_pwned?: unknown }).__sb_pwned;
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');

  test.each([
    ['a JavaScript function tag', stringify(good('a')).replace('description: d', 'description: !!js/function "function () { globalThis.__sb_pwned = true }"'), 'a.yaml:2', /tag !!js\/function is not allowed/],
    ['a binary tag', stringify(good('a')).replace('locale: en', 'locale: !!binary ZW4='), 'a.yaml:3', /tag !!binary is not allowed/],
    ['an alias expansion bomb', `${bomb}\n${stringify(good('a'))}`, 'a.yaml:2', /aliases expand too far/],
    ['a __proto__ key', `${stringify(good('a'))}__proto__:\n  flow: x\n`, 'a.yaml:16', /__proto__ is not allowed/],
  ])('%s is refused with SB_ERR_INTENTS naming the file and line; nothing runs', async (_name, text, path, message) => {
    const error = await loadError({ 'a.yaml': text });
    expect(error.code).toBe('SB_ERR_INTENTS');
    expect(error.details).toContainEqual({ path: expect.stringMatching(new RegExp(`(^|/)${path.replace('.', '\\.')}$`)) as string, message: expect.stringMatching(message) as string });
    expect(pwned()).toBeUndefined();
    expect(({} as Record<string, unknown>).flow).toBeUndefined();
  });
});
