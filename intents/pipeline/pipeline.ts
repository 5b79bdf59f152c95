import { SwitchboardError, type ErrorDetail } from '../../core/errors.js';
import type { NluContext, NluResult } from '../../core/nlu.js';
import { need, type Capability, type PipelineComponent, type TurnState } from './component.js';

/** Everything an NluResult is built from; a pipeline that cannot produce all of it is refused. */
const RESULT_NEEDS: readonly Capability[] = ['normalized', 'language', 'entities', 'ranking', 'decision', 'sentiment'];

export interface Pipeline {
  readonly components: readonly PipelineComponent[];
  run(text: string, context?: NluContext): Promise<NluResult>;
}

/**
 * Checks, once at start-up, that each component's requirements are provided by an earlier one
 * (Rasa's required_components) and that the result can be built; throws SB_ERR_CONFIG naming the component.
 */
export function createPipeline(components: readonly PipelineComponent[]): Pipeline {
  const provided = new Set<Capability>();
  const details: ErrorDetail[] = [];
  components.forEach((component, i) => {
    for (const requirement of component.requires) {
      if (!provided.has(requirement)) {
        details.push({
          path: `pipeline[${i}].requires`,
          message: `component "${component.name}" requires "${requirement}", which no earlier component provides`,
        });
      }
    }
    for (const capability of component.provides) provided.add(capability);
  });
  for (const capability of RESULT_NEEDS) {
    if (!provided.has(capability)) details.push({ path: 'pipeline', message: `no component provides "${capability}"` });
  }
  if (details.length > 0) {
    throw new SwitchboardError('SB_ERR_CONFIG', `The NLU pipeline is invalid: ${details[0]!.message}`, details);
  }
  const frozen = [...components];
  return {
    components: frozen,
    async run(text: string, context: NluContext = {}): Promise<NluResult> {
      const state: TurnState = { text, context };
      for (const component of frozen) await component.run(state);
      const decision = need(state, 'decision', 'result');
      return {
        text,
        locale: need(state, 'locale', 'result'),
        intent: decision.intent,
        confidence: decision.confidence,
        ranking: need(state, 'ranking', 'result'),
        outOfScope: decision.outOfScope === null ? null : { reason: decision.outOfScope },
        entities: need(state, 'entities', 'result'),
        sentiment: need(state, 'sentiment', 'result'),
        provider: state.provider ?? 'local',
      };
    },
  };
}
