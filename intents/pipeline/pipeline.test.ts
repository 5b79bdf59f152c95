import { describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import type { PipelineComponent } from './component.js';
import { createPipeline } from './pipeline.js';
import { languageComponent, normalizeComponent, outOfScopeComponent, sentimentComponent } from './steps.js';

const fixedRanking: PipelineComponent = {
  name: 'fixedRanking',
  requires: ['normalized'],
  provides: ['ranking'],
  run(state) {
    state.ranking = [{ intent: 'a', confidence: 0.7 }, { intent: 'b', confidence: 0.2 }];
    state.verdict = null;
  },
};
const noEntities: PipelineComponent = { name: 'noEntities', requires: ['language'], provides: ['entities'], run: (s) => void (s.entities = []) };
const keepTop = { decide: () => ({ intent: 'a', confidence: 0.7, outOfScope: null }) };

describe('the NLU pipeline checks its components at start-up', () => {
  test('a component whose requirement no earlier component provides is refused, by name', () => {
    const build = (): unknown => createPipeline([normalizeComponent(), noEntities, languageComponent('en'), fixedRanking, outOfScopeComponent(() => keepTop), sentimentComponent()]);
    expect(build).toThrow(SwitchboardError);
    try {
      build();
    } catch (error) {
      expect((error as SwitchboardError).code).toBe('SB_ERR_CONFIG');
      expect((error as SwitchboardError).details).toEqual([{ path: 'pipeline[1].requires', message: 'component "noEntities" requires "language", which no earlier component provides' }]);
    }
  });

  test('a pipeline that never provides what a result needs is refused', () => {
    expect(() => createPipeline([normalizeComponent(), languageComponent('en'), noEntities, fixedRanking, outOfScopeComponent(() => keepTop)])).toThrow(/no component provides "sentiment"/);
  });

  test('a well-ordered pipeline keeps the whole ranking in the result', async () => {
    const pipeline = createPipeline([normalizeComponent(), languageComponent('en'), noEntities, fixedRanking, outOfScopeComponent(() => keepTop), sentimentComponent()]);
    const result = await pipeline.run('  hello\u200b   there ', { locale: 'en-GB' });
    expect(result).toMatchObject({ text: '  hello\u200b   there ', locale: 'en-GB', intent: 'a', confidence: 0.7, outOfScope: null, provider: 'local' });
    expect(result.ranking).toEqual([{ intent: 'a', confidence: 0.7 }, { intent: 'b', confidence: 0.2 }]);
  });
});
