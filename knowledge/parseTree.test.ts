import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { SwitchboardError } from '../core/errors.js';
import { loadKnowledgeBase, parseTree } from './index.js';

const ARTICLES = new Set(['camera-offline']);

/** A small valid tree; each case below breaks one thing. */
function tree(): { id: string; title: string; family: string; entry: string; nodes: Record<string, Record<string, unknown>> } {
  return {
    id: 'cam-test',
    title: 'Camera test',
    family: 'camera',
    entry: 'light',
    nodes: {
      light: { kind: 'question', text: 'Light?', options: [{ label: 'Off', next: 'power' }, { label: 'Red', next: 'restart' }] },
      power: { kind: 'step', text: 'Try another outlet.', article: 'camera-offline', next: 'repair' },
      restart: { kind: 'step', text: 'Restart it.', next: 'agent' },
      repair: { kind: 'offer_repair', text: 'Repair?' },
      agent: { kind: 'handoff', text: 'Handing over.' },
    },
  };
}

describe('troubleshooting trees', () => {
  test('a well-formed tree parses and a step gets the default success check', () => {
    const result = parseTree(stringify(tree()), 'trees/cam.yaml', ARTICLES);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.nodes['power']).toMatchObject({ kind: 'step', check: 'Did that fix it?' });
  });

  test.each([
    {
      name: 'a dangling next',
      mutate: (t: ReturnType<typeof tree>) => void (t.nodes['restart'] = { kind: 'step', text: 'Restart it.', next: 'nowhere' }),
      field: 'nodes.restart.next',
      message: 'unknown node "nowhere"',
    },
    {
      name: 'a dangling option',
      mutate: (t: ReturnType<typeof tree>) => void ((t.nodes['light'] as { options: Array<{ next: string }> }).options[1] = { label: 'Red', next: 'gone' } as never),
      field: 'nodes.light.options[1].next',
      message: 'unknown node "gone"',
    },
    {
      name: 'an unreachable node',
      mutate: (t: ReturnType<typeof tree>) => void (t.nodes['orphan'] = { kind: 'resolved', text: 'Never shown.' }),
      field: 'nodes.orphan',
      message: 'unreachable from entry "light"',
    },
    {
      name: 'a missing entry node',
      mutate: (t: ReturnType<typeof tree>) => void (t.entry = 'start'),
      field: 'entry',
      message: 'unknown node "start"',
    },
    {
      name: 'a loop with no way out',
      mutate: (t: ReturnType<typeof tree>) => {
        t.nodes['restart'] = { kind: 'step', text: 'Restart it.', next: 'again' };
        t.nodes['again'] = { kind: 'step', text: 'Restart it again.', next: 'restart' };
      },
      field: 'nodes.restart',
      message: 'cycle with no way out',
    },
    {
      name: 'a link to an article that does not exist',
      mutate: (t: ReturnType<typeof tree>) => void (t.nodes['restart'] = { kind: 'step', text: 'Restart it.', article: 'no-such-article', next: 'agent' }),
      field: 'nodes.restart.article',
      message: 'unknown article "no-such-article"',
    },
    {
      name: 'an unknown node kind',
      mutate: (t: ReturnType<typeof tree>) => void (t.nodes['agent'] = { kind: 'escalate', text: 'x' }),
      field: 'nodes.agent.kind',
      message: 'expected kind question|step|resolved|offer_repair|handoff',
    },
  ])('rejects $name, naming the file and field', ({ mutate, field, message }) => {
    const broken = tree();
    mutate(broken);
    const result = parseTree(stringify(broken), 'trees/cam.yaml', ARTICLES);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const problem = result.problems.find((p) => p.field === field);
      expect(problem).toMatchObject({ file: 'trees/cam.yaml' });
      expect(problem?.message).toContain(message);
    }
  });

  test('a loop is allowed when the customer can still leave it', () => {
    const t = tree();
    t.nodes['restart'] = { kind: 'question', text: 'Try again?', options: [{ label: 'Yes', next: 'light' }, { label: 'No', next: 'agent' }] };
    expect(parseTree(stringify(t), 'trees/cam.yaml', ARTICLES).ok).toBe(true);
  });

  test('loading a folder with a broken tree throws SB_ERR_KNOWLEDGE naming the tree file and field path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-tree-'));
    try {
      await mkdir(path.join(dir, 'articles'));
      await mkdir(path.join(dir, 'troubleshooting'));
      await writeFile(
        path.join(dir, 'articles', 'camera-offline.md'),
        '---\nid: camera-offline\ntitle: Camera offline\ncategory: troubleshooting\nstatus: published\nupdated: 2025-01-01\n---\nRestart the camera.\n',
      );
      const broken = tree();
      broken.nodes['restart'] = { kind: 'step', text: 'Restart it.', next: 'nowhere' };
      await writeFile(path.join(dir, 'troubleshooting', 'cam.yaml'), stringify(broken));
      const error = await loadKnowledgeBase(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwitchboardError);
      expect((error as SwitchboardError).code).toBe('SB_ERR_KNOWLEDGE');
      expect((error as SwitchboardError).message).toMatch(/troubleshooting\/cam\.yaml: nodes\.restart\.next: unknown node "nowhere"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a tree file is YAML data and nothing else', () => {
  const pwned = (): unknown => (globalThis as { __sb_pwned?: unknown }).__sb_pwned;

  test.each([
    ['a JavaScript function tag', (text: string) => text.replace('title: Camera test', 'title: !!js/function "function () { globalThis.__sb_pwned = true }"'), /^line 2: invalid YAML: tag !!js\/function is not allowed/],
    ['a custom tag', (text: string) => text.replace('entry: light', 'entry: !exec light'), /^line 4: invalid YAML: tag !exec is not allowed/],
    ['a __proto__ node', (text: string) => `${text}  __proto__:\n    kind: handoff\n    text: x\n`, /^line \d+: invalid YAML: the key __proto__ is not allowed/],
  ])('%s is refused naming the line, and nothing runs', (_name, edit, message) => {
    const text = edit(stringify(tree()));
    const result = parseTree(text, 'trees/cam.yaml', ARTICLES);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([{ file: 'trees/cam.yaml', field: '(root)', message: expect.stringMatching(message) as string }]);
    expect(pwned()).toBeUndefined();
  });

  test('an alias expansion bomb is refused', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)];
    const result = parseTree(`${levels.join('\n')}\n${stringify(tree())}`, 'trees/cam.yaml', ARTICLES);
    expect(result.ok ? [] : result.problems).toEqual([{ file: 'trees/cam.yaml', field: '(root)', message: expect.stringMatching(/^line 2: invalid YAML: aliases expand too far/) as string }]);
  });
});
