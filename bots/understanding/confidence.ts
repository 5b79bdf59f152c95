import type { IntentAction, NluResult } from '../../core/nlu.js';

/** Intents that answer within a flow (yes/no, pleasantries) and never interrupt it. */
export const NEVER_INTERRUPTS = new Set(['affirm', 'deny', 'greeting', 'thanks', 'goodbye']);
/** How sure the NLU must be before a new intent interrupts the running flow. */
export const INTERRUPT_CONFIDENCE = 0.6;
/** An intent this close to the best one is offered beside it when the bot asks which it is. */
export const CLARIFY_MARGIN = 0.2;

/** Not a misunderstanding: the bot understood that the message is not for it (and said so). */
export const REFUSED = new Set(['gibberish', 'oos_class']);

/** The flow a confident reading starts, or null. */
export function flowOf(actions: ReadonlyMap<string, IntentAction>, nlu: NluResult): string | null {
  return nlu.intent === null || nlu.outOfScope !== null ? null : actions.get(nlu.intent)?.flow ?? null;
}
