import type { Entity, IntentScore, NluContext, OutOfScopeReason, Sentiment } from '../../core/nlu.js';

/** What a component can add to a turn; a component may only read what an earlier one provided. */
export type Capability = 'normalized' | 'language' | 'entities' | 'ranking' | 'decision' | 'sentiment';

/** A provider's own out-of-scope verdict (Dialogflow's fallback, an LLM's "oos"), if it has one. */
export interface ProviderVerdict {
  intent: string | null;
  confidence: number;
  outOfScope: OutOfScopeReason | null;
}

/** The state one message builds up while it passes through the pipeline. */
export interface TurnState {
  readonly text: string;
  readonly context: NluContext;
  normalized?: string;
  locale?: string;
  entities?: Entity[];
  ranking?: IntentScore[];
  /** Which engine produced the ranking ("local", "dialogflow", "llm"). */
  provider?: string;
  verdict?: ProviderVerdict | null;
  decision?: ProviderVerdict;
  sentiment?: Sentiment;
}

/** One step of the NLU pipeline. `requires` is checked against earlier components at construction. */
export interface PipelineComponent {
  readonly name: string;
  readonly requires: readonly Capability[];
  readonly provides: readonly Capability[];
  run(state: TurnState): void | Promise<void>;
}

/** Reads a field an earlier component must have set; the construction check makes a miss a bug. */
export function need<K extends keyof TurnState>(state: TurnState, key: K, component: string): NonNullable<TurnState[K]> {
  const value = state[key];
  if (value === undefined || value === null) throw new Error(`NLU component "${component}" ran before "${String(key)}" was set`);
  return value as NonNullable<TurnState[K]>;
}
