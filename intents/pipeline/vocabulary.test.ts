import { beforeAll, describe, expect, test } from 'vitest';
import type { NluResult } from '../../core/nlu.js';
import { DEMO_CATALOGUE } from '../demoCatalogue.js';
import { loadIntentFiles } from '../load.js';
import { createLocalNlu, type RetrainableNlu } from '../local.js';
import type { PipelineComponent } from './component.js';
import { createPipeline } from './pipeline.js';
import { languageComponent, normalizeComponent, outOfScopeComponent, sentimentComponent } from './steps.js';
import { Vocabulary, vocabularyComponent } from './vocabulary.js';

describe('the vocabulary knows trained words, and one typo from them', () => {
  const vocabulary = new Vocabulary(['where is my order', 'cancel my order please', 'thanks a lot', 'bye', 'hey there']);

  test.each([
    ['order', 'exact'],
    ['orders', 'exact'],
    ['ordr', 'typo'],
    ['oredr', 'typo'],
    ['orderr', 'typo'],
    ['cancl', 'typo'],
    ['byeee', 'typo'],
    ['heyyy', 'typo'],
    ['blorp', 'unknown'],
    ['xkcd', 'unknown'],
    ['jjjjj', 'unknown'],
    ['aaaaaaa', 'unknown'],
  ] as const)('%s is %s', (token, match) => {
    expect(vocabulary.match(token)).toBe(match);
  });

  test.each([
    ['wher is my ordr', false],
    ['cancl order', false],
    ['asdkjh qwpoeiru', true],
    ['xkcd blorp', true],
    ['order asdkjh qwpoeiru zxcv', true],
    ['???', true],
    ['100234', false],
  ])('"%s" is gibberish: %s', (text, gibberish) => {
    expect(vocabulary.judge(text).gibberish).toBe(gibberish);
  });
});

describe('the shop NLU rejects keyboard mash and keeps real short messages', () => {
  let nlu: RetrainableNlu;
  beforeAll(async () => {
    nlu = createLocalNlu({ intents: await loadIntentFiles(), orderNumberPattern: '\\d{6}', catalogue: DEMO_CATALOGUE });
  });

  test.each(['asdkjh qwpoeiru', 'xkcd blorp', 'jjjjj', 'qwertyuiop', 'sdfsdf ghjghj', 'ppppp oooo', 'ich möchte ein bier'])('"%s" starts nothing', async (text) => {
    const result = await nlu.parse(text);
    expect(result.intent).toBeNull();
    expect(result.outOfScope).not.toBeNull();
  });

  test('mash the classifier would have accepted is out of scope as gibberish, with its ranking and confidence as they were', async () => {
    // The gibberish guard only ever vetoes an accepted decision; find mash the classifier accepted.
    const candidates = ['xkcd blorp', 'asdkjh qwpoeiru', 'jjjjj', 'kjsdhf kjhsdf', 'wqeqwe', 'zxzxzx', 'plmokn ijbuhv', 'vbnvbn', 'klxqz'];
    const results: NluResult[] = await Promise.all(candidates.map((t) => nlu.parse(t)));
    const vetoed = results.filter((r) => r.outOfScope?.reason === 'gibberish');
    expect(vetoed.length).toBeGreaterThan(0);
    for (const r of vetoed) {
      expect(r.intent).toBeNull();
      expect(r.confidence).toBe(r.ranking[0]!.confidence);
      expect(r.ranking[0]!.intent).not.toBe('oos');
      expect(r.confidence).toBeLessThan(1);
    }
  });

  test.each([
    ['where is my order', 'order_status'],
    ['100234', 'order_status'],
    ['hi', 'greeting'],
    ['yes', 'affirm'],
    ['no', 'deny'],
    ['thx', 'thanks'],
    ['refund?', 'refund_status'],
    ['wher is my ordr', 'order_status'],
    ['cancl my order', 'order_cancel'],
  ])('"%s" is understood as %s', async (text, intent) => {
    const result = await nlu.parse(text);
    expect(result.outOfScope?.reason).not.toBe('gibberish');
    expect(result.intent).toBe(intent);
  });

  test('a product named in otherwise unknown words is left to the classifier', async () => {
    const result = await nlu.parse('VL-MESH-PRO blorp');
    expect(result.outOfScope?.reason).not.toBe('gibberish');
  });
});

describe('the vocabulary component in a pipeline', () => {
  const ranking: PipelineComponent = {
    name: 'fixedRanking',
    requires: ['normalized'],
    provides: ['ranking'],
    run(state) {
      state.ranking = [{ intent: 'order_status', confidence: 0.8 }, { intent: 'oos', confidence: 0.1 }];
      state.verdict = null;
    },
  };
  const noEntities: PipelineComponent = { name: 'noEntities', requires: ['language'], provides: ['entities'], run: (s) => void (s.entities = []) };
  const accept = (reason: 'low_confidence' | null) => () => ({ decide: () => ({ intent: reason ? null : 'order_status', confidence: 0.8, outOfScope: reason }) });
  const vocabulary = new Vocabulary(['where is my order']);
  const build = (reason: 'low_confidence' | null) =>
    createPipeline([normalizeComponent(), languageComponent('en'), noEntities, ranking, outOfScopeComponent(accept(reason)), vocabularyComponent(() => vocabulary), sentimentComponent()]);

  test('vetoes an accepted decision on mash, keeping the ranking and the confidence', async () => {
    const result = await build(null).run('xkcd blorp');
    expect(result).toMatchObject({ intent: null, confidence: 0.8, outOfScope: { reason: 'gibberish' } });
    expect(result.ranking).toEqual([{ intent: 'order_status', confidence: 0.8 }, { intent: 'oos', confidence: 0.1 }]);
  });

  test('leaves known words alone, and never replaces another reason', async () => {
    expect((await build(null).run('where is my ordr')).intent).toBe('order_status');
    expect((await build('low_confidence').run('xkcd blorp')).outOfScope).toEqual({ reason: 'low_confidence' });
  });

  test('is refused before a decision exists', () => {
    expect(() => createPipeline([normalizeComponent(), languageComponent('en'), noEntities, ranking, vocabularyComponent(() => vocabulary), outOfScopeComponent(accept(null)), sentimentComponent()])).toThrow(
      /"vocabulary" requires "decision"/,
    );
  });
});
