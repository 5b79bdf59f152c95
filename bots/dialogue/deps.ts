import type { IntentAction, NluResult } from '../../core/nlu.js';
import type { HandoffTrigger, TriggerInput } from '../../handoff/policy.js';
import type { DialogueCopy } from '../copy/dialogue.js';
import type { HandoffCopy } from '../copy/handoff.js';
import type { Flow, FlowContext, TurnDecision } from '../flow.js';

/** Intent detection for one part of a message (a request within it, one of two requests). */
export type Classify = (text: string, ctx: FlowContext) => Promise<NluResult>;

export interface DialogueDeps {
  flows: ReadonlyMap<string, Flow>;
  actions: ReadonlyMap<string, IntentAction>;
  /**
   * Answers an intent whose flow isn't available, or a message no intent fits (intent null),
   * e.g. from the knowledge base when retrieval is confident; null when it can't.
   */
  answerUnhandled?: (ctx: FlowContext, intent: string | null) => Promise<TurnDecision | null>;
  /** Answers a general question (e.g. about a policy) before a transactional flow starts; null to start the flow. */
  answerQuestion?: (ctx: FlowContext) => Promise<TurnDecision | null>;
  pick?: (options: readonly string[]) => string;
  copy?: DialogueCopy;
  /** Intent detection for one part of a message that holds two requests. */
  classify?: Classify;
  /** When the conversation must go to a person without being asked (`HandoffPolicy.trigger`). */
  handoffTrigger?: (input: TriggerInput) => HandoffTrigger | null;
  handoffCopy?: HandoffCopy;
}

/** What the dialogue's steps share: the deps and the words, defaults filled in. */
export interface DialogueParts {
  deps: DialogueDeps;
  copy: DialogueCopy;
  handoffCopy: HandoffCopy;
}
