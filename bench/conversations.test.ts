import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDemoShop } from '../db/shop/demo.js';
import type { ConversationOutcome } from '../test/conversation-outcome.js';
import { classify, type ConversationRun } from './conversations/classify.js';
import { CorpusConversationSchema, CorpusError, loadCorpus, parseCorpusFile, type CorpusConversation } from './conversations/corpus.js';
import { withCode } from './conversations/run.js';
import { summarize } from './conversations/summary.js';

const run = promisify(execFile);

describe('the shipped conversation corpus', () => {
  test('is valid: at least 250 conversations with unique ids, on both kinds of channel', async () => {
    const corpus = await loadCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(250);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(corpus.filter((c) => c.channel === 'text').length).toBeGreaterThanOrEqual(100);
    expect(corpus.filter((c) => c.channel === 'webchat').length).toBeGreaterThanOrEqual(100);
  });

  test('every code is read from an address the demo shop has on file, so no conversation waits for a code that cannot come', async () => {
    const shop = generateDemoShop();
    const onFile = new Set(shop.customers.flatMap((c) => [c.email, ...(c.phone !== null && c.phone !== undefined ? [c.phone] : [])]));
    const recipients = (await loadCorpus()).flatMap((c) => c.turns.flatMap((t) => (typeof t === 'object' && 'code' in t ? [{ id: c.id, to: t.code }] : [])));
    expect(recipients.length).toBeGreaterThan(100);
    expect(recipients.filter((r) => !onFile.has(r.to))).toEqual([]);
  });
});

describe('a malformed corpus names the file, the conversation and the field', () => {
  const conversation = (fields: string) => `conversations:\n  - id: broken-one\n    channel: text\n${fields}\n`;
  test.each([
    ['no turns', conversation('    expect: { resolved: order_status }'), /broken\.yaml: conversation broken-one: turns: /],
    ['a button on a text-only channel', conversation("    turns: [{ press: 'Yes' }]\n    expect: { resolved: order_status }"), /conversation broken-one: turns\.0\.press: a text-only channel has no buttons/],
    ['an unquoted order number (a YAML number, not text)', conversation('    turns: [where is my order, 100234]\n    expect: { resolved: order_status }'), /conversation broken-one: turns\.1: /],
    ['an unknown task', conversation('    turns: [hi]\n    expect: { resolved: teleport }'), /conversation broken-one: expect/],
    ['a pattern that is not a regular expression', conversation("    turns: [hi]\n    expect: { answered: '(unclosed' }"), /conversation broken-one: expect/],
    ['a code placeholder missing', conversation("    turns: [{ code: ada@example.com, say: 'here it is' }]\n    expect: { resolved: order_status }"), /conversation broken-one: turns\.0\.say: must contain one of \{code\}/],
    ['an unknown field', conversation('    turns: [hi]\n    expect: { answered: hi }\n    expected: typo'), /conversation broken-one: the conversation: .*expected/i],
  ])('%s', (_name, text, message) => {
    const { conversations, problems } = parseCorpusFile('broken.yaml', text);
    expect(conversations).toEqual([]);
    expect(problems.join('\n')).toMatch(message);
  });

  test('a YAML tag is refused with its line, and nothing is evaluated', () => {
    const { problems } = parseCorpusFile('tagged.yaml', 'conversations:\n  - !!js/function "x"\n');
    expect(problems.join('\n')).toMatch(/tagged\.yaml:2: tag !!js\/function is not allowed/);
  });

  test('loading a folder reports every problem at once, and ids used twice', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sb-corpus-'));
    try {
      const one = "conversations:\n  - { id: twice-used, channel: webchat, turns: [hi], expect: { refused: 'help' } }\n";
      await writeFile(path.join(dir, 'a.yaml'), one);
      await writeFile(path.join(dir, 'b.yaml'), one);
      await writeFile(path.join(dir, 'c.yaml'), conversation('    expect: { resolved: order_status }'));
      const error = await loadCorpus(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorpusError);
      expect((error as CorpusError).problems).toEqual([expect.stringMatching(/c\.yaml: conversation broken-one: turns/), 'conversation twice-used: id is used twice']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('classification', () => {
  const corpusEntry = (expect: unknown, extra: Record<string, unknown> = {}): CorpusConversation =>
    CorpusConversationSchema.parse({ id: 'case-one', channel: 'webchat', turns: ['hi'], expect, ...extra });
  const outcome = (parts: Partial<ConversationOutcome>): ConversationOutcome => ({ status: 'bot', flows: [], handoff: null, verifiedCustomerId: null, botSaid: [], ...parts });
  const ran = (o: Partial<ConversationOutcome>, repliesPerTurn: string[] = ['a reply'], interrupted: string | null = null): ConversationRun => ({ outcome: outcome(o), repliesPerTurn, interrupted });

  test.each([
    ['the flow resolved and the reply said it', { resolved: 'order_status', says: 'UPS' }, ran({ flows: [{ flow: 'order_status', ending: 'resolved' }], botSaid: ['Shipped with UPS'] }), 'resolved'],
    ['a split flow name counts for the task', { resolved: 'order_cancel' }, ran({ flows: [{ flow: 'order_cancel', ending: 'resolved' }] }), 'resolved'],
    ['the expected hand-off', { handed_off: 'customer_asked' }, ran({ status: 'queued', handoff: { reason: 'customer_asked', issueType: 'general' } }), 'handedOff'],
    ['a hand-off for another reason', { handed_off: 'repair' }, ran({ status: 'queued', handoff: { reason: 'complaint', issueType: 'general' } }), 'wrong'],
    ['a hand-off nobody expected', { resolved: 'return' }, ran({ status: 'queued', handoff: { reason: 'customer_asked', issueType: 'general' } }), 'wrong'],
    ['resolved, but without the fact asked for', { resolved: 'order_status', says: 'UPS' }, ran({ flows: [{ flow: 'order_status', ending: 'resolved' }], botSaid: ['Delivered'] }), 'wrong'],
    ['the customer called the return off', { stopped: 'return', says: 'keep' }, ran({ flows: [{ flow: 'returns', ending: 'abandoned' }], botSaid: ['OK, keep them.'] }), 'resolved'],
    ['a return the customer called off was booked anyway', { stopped: 'return' }, ran({ flows: [{ flow: 'returns', ending: 'resolved' }] }, ['Booked.', 'Booked RMA-1.']), 'wrong'],
    ['another flow ran instead', { resolved: 'return' }, ran({ flows: [{ flow: 'refund_status', ending: 'resolved' }] }), 'wrong'],
    ['an information question that started a transaction', { answered: '30 days' }, ran({ flows: [{ flow: 'returns', ending: 'open' }], botSaid: ["What's the order number?"] }), 'wrong'],
    ['the answer from the knowledge base', { answered: '30 days' }, ran({ flows: [{ flow: 'knowledge', ending: 'open' }], botSaid: ['You have 30 days.'] }), 'resolved'],
    ['gibberish declined', { refused: "didn.t get" }, ran({ botSaid: ["Sorry, I didn't get that."] }), 'resolved'],
    ['gibberish that started a flow', { refused: "didn.t get" }, ran({ flows: [{ flow: 'account', ending: 'open' }], botSaid: ['Which email?'] }), 'wrong'],
    ['the same question again and again', { resolved: 'return' }, ran({ flows: [{ flow: 'returns', ending: 'open' }] }, ['Which item?', 'Which item?']), 'stuck'],
    ['no outcome within the turns', { resolved: 'return' }, ran({ flows: [{ flow: 'returns', ending: 'open' }] }, ['Which order?', 'What condition?']), 'stuck'],
    ['a button the customer needed was not offered', { resolved: 'return' }, ran({ flows: [{ flow: 'returns', ending: 'resolved' }] }, ['x'], 'turn 3: no button matching /Refund/'), 'stuck'],
  ] as const)('%s', (_name, expectation, conversationRun, kind) => {
    expect(classify(corpusEntry(expectation), conversationRun).kind).toBe(kind);
  });

  test('a reply matching `never` is wrong even when everything else was reached', () => {
    const entry = corpusEntry({ resolved: 'order_status' }, { never: 'USPS' });
    const verdict = classify(entry, ran({ flows: [{ flow: 'order_status', ending: 'resolved' }], botSaid: ['Order 100300: Out for delivery with USPS'] }));
    expect(verdict).toMatchObject({ kind: 'wrong', reason: expect.stringMatching(/must not/) });
  });

  test('every expectation must be met: one missing answer makes it wrong', () => {
    const entry = corpusEntry([{ resolved: 'order_cancel' }, { answered: '30 days' }]);
    expect(classify(entry, ran({ flows: [{ flow: 'order_change', ending: 'resolved' }], botSaid: ['Done: cancelled.'] })).kind).toBe('wrong');
  });

  test('the summary counts handed-off successes in the resolution rate and lists failures with their reason', () => {
    const summary = summarize([
      { id: 'a', verdict: { kind: 'resolved', reason: 'as expected' } },
      { id: 'b', verdict: { kind: 'handedOff', reason: 'handed off as expected' } },
      { id: 'c', verdict: { kind: 'wrong', reason: 'ran returns' } },
      { id: 'd', verdict: { kind: 'stuck', reason: 'repeated itself' } },
    ]);
    expect(summary.counts).toEqual({ conversations: 4, resolved: 1, handedOff: 1, wrong: 1, stuck: 1, resolutionRate: 0.5 });
    expect(summary.failures).toEqual(['wrong c: ran returns', 'stuck d: repeated itself']);
  });

  test('codes are typed the way the corpus says', () => {
    expect(withCode('{code}', '132581')).toBe('132581');
    expect(withCode('it is {code:spaced}', '132581')).toBe('it is 132 581');
    expect(withCode('{code:dashed}', '132581')).toBe('132-581');
  });
});

describe('npm run bench:conversations', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sb-bench-conversations-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('plays a corpus through the pipeline and prints one parseable JSON line, then each failing id', { timeout: 180_000 }, async () => {
    const corpus = path.join(dir, 'tiny.yaml');
    await writeFile(
      corpus,
      [
        'conversations:',
        '  - id: tiny-resolves',
        '    channel: text',
        "    turns: ['has 100234 shipped yet?', { code: ada@example.com }]",
        "    expect: { resolved: order_status, says: 'UPS' }",
        '  - id: tiny-cannot-resolve',
        '    channel: webchat',
        "    note: the customer never says what they want, so nothing can be resolved",
        "    turns: ['hmm']",
        '    expect: { resolved: warranty }',
      ].join('\n'),
    );
    const { stdout } = await run('npm', ['run', '--silent', 'bench:conversations', '--', '--corpus', corpus], { cwd: path.resolve(import.meta.dirname, '..') });
    const lines = stdout.split('\n').filter((l) => l !== '');
    const jsonLines = lines.filter((l) => l.startsWith('{'));
    expect(jsonLines).toHaveLength(1);
    const counts = JSON.parse(jsonLines[0] as string) as Record<string, number>;
    expect(counts).toEqual({ conversations: 2, resolved: 1, handedOff: 0, wrong: expect.any(Number), stuck: expect.any(Number), resolutionRate: 0.5 });
    expect((counts.wrong ?? 0) + (counts.stuck ?? 0)).toBe(1);
    expect(lines.slice(lines.indexOf(jsonLines[0] as string) + 1)).toEqual([expect.stringMatching(/^(wrong|stuck) tiny-cannot-resolve: /)]);
  });
});
