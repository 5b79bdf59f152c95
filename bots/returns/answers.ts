import type { ChoiceOption } from '../../core/message.js';
import { POLICY_DECISION_SLOT, PolicyDecisionSchema } from '../../core/policy-decision.js';
import { flowState, Text } from '../flow-state.js';
import { GATE_FIELDS } from '../identity-gate.js';
import type { SlotBuffer } from './slot-buffer.js';
import type { ReturnMethod, ReturnResolution } from '../../core/return-status.js';
import { RETURNS_COPY_EN } from '../copy/returns.js';
import type { FlowContext } from '../flow.js';
import { payloadValue } from '../flow.js';
import type { ReturnReason } from './policy-file.js';
import type { ItemCondition, ReturnAlternative } from './policy.js';

/** The slots the returns flow keeps; `order_number` is shared with the other order flows. */
export const RETURN_SLOTS = {
  order: 'order_number',
  sku: 'return_sku',
  line: 'return_line',
  condition: 'return_condition',
  reason: 'return_reason',
  resolution: 'return_resolution',
  method: 'return_method',
  /** The product wanted instead, for an exchange for another model or colour. */
  exchange: 'return_exchange_sku',
  /** "Both" / "everything in 100235": every item of the order still returnable goes back in one return. */
  all: 'return_all_items',
} as const;

/**
 * The returns flow's own state: the gate's fields, then what the customer has told it so far.
 * Answers are kept as text and checked against their lists where they are read (`oneOf`), so a
 * value from an older policy file reads as unanswered. The policy decision is for the agent.
 */
export const ReturnsState = flowState({
  ...GATE_FIELDS,
  [RETURN_SLOTS.sku]: Text,
  [RETURN_SLOTS.line]: Text,
  [RETURN_SLOTS.condition]: Text,
  [RETURN_SLOTS.reason]: Text,
  [RETURN_SLOTS.resolution]: Text,
  [RETURN_SLOTS.method]: Text,
  [RETURN_SLOTS.exchange]: Text,
  [RETURN_SLOTS.all]: Text,
  [POLICY_DECISION_SLOT]: PolicyDecisionSchema,
});
export type ReturnsSlots = SlotBuffer<typeof ReturnsState.shape>;

export const RETURN_STEPS = {
  order: 'returns:choosing_order',
  item: 'returns:choosing_item',
  condition: 'returns:condition',
  reason: 'returns:reason',
  resolution: 'returns:resolution',
  method: 'returns:method',
  confirm: 'returns:confirm',
  alternative: 'returns:alternative',
} as const;

const COPY = RETURNS_COPY_EN;

export const CONDITION_OPTIONS: ChoiceOption[] = COPY.conditionOptions;
export const REASON_OPTIONS: ChoiceOption[] = COPY.reasonOptions;
export const RESOLUTION_OPTIONS: ChoiceOption[] = COPY.resolutionOptions;
export const METHOD_OPTIONS: ChoiceOption[] = COPY.methodOptions;
export const CONFIRM_OPTIONS: ChoiceOption[] = COPY.confirmOptions;
export const ALTERNATIVE_OPTIONS: Record<ReturnAlternative, ChoiceOption> = COPY.alternativeOptions;

/**
 * Where typed words count as an answer: only at the question's own step, or (`anywhere`) at
 * any step of the return, because customers say what a careful agent would need before being
 * asked ("opened, they work but I don't like the fit" while the item is being picked).
 */
export interface AnswerScope {
  anywhere?: boolean;
}

/**
 * Reads the answer to the question the flow asked: the pressed quick reply, or, when the customer
 * typed instead, the words that answer that question.
 */
function answer<T extends string>(
  ctx: FlowContext,
  prefix: string,
  step: string,
  allowed: readonly T[],
  words: ReadonlyArray<readonly [RegExp, T]>,
  scope: AnswerScope,
): T | null {
  const pressed = payloadValue(ctx, prefix);
  if (pressed !== null) return (allowed as readonly string[]).includes(pressed) ? (pressed as T) : null;
  if (ctx.message.payload !== undefined) return null;
  if (ctx.state.step !== step && scope.anywhere !== true) return null;
  return words.find(([pattern]) => pattern.test(ctx.message.text))?.[1] ?? null;
}

export function conditionAnswer(ctx: FlowContext, scope: AnswerScope = {}): ItemCondition | null {
  return answer(ctx, 'return-condition', RETURN_STEPS.condition, ['unopened', 'opened', 'defective', 'damaged'], [
    [/\b(un-?opened|sealed|never opened|not opened|new in box)\b/i, 'unopened'],
    [/\b(broken|faulty|defective|damaged|doesn'?t work|not working|stopped working|dead|cracked)\b/i, 'defective'],
    [/\b(opened|used|tried|works|worn)\b/i, 'opened'],
  ], scope);
}

export function reasonAnswer(ctx: FlowContext, scope: AnswerScope = {}): ReturnReason | null {
  return answer(ctx, 'return-reason', RETURN_STEPS.reason, ['changed_mind', 'not_as_expected', 'wrong_item'], [
    [/\b(wrong (item|model|one|product|colou?r|size)|not what i ordered|sent me the wrong)\b/i, 'wrong_item'],
    [
      /\b(expected|expectations|disappoint\w*|not as described|not good|(don'?t|didn'?t|do not|did not) (like|fit|suit)|fit|too (big|small|tight|loose|heavy|loud|quiet)|uncomfortable|hurts?|sound quality)\b/i,
      'not_as_expected',
    ],
    [/\b(changed? my mind|don'?t (want|need)|no longer|cheaper|other|something else|not needed|gift)\b/i, 'changed_mind'],
  ], scope);
}

export function resolutionAnswer(ctx: FlowContext, scope: AnswerScope = {}): ReturnResolution | null {
  return answer(ctx, 'return-resolution', RETURN_STEPS.resolution, ['refund', 'exchange'], [
    [/\b(exchange|swap|replace|replacement|new one)\b/i, 'exchange'],
    [/\b(refund|money back|reimburse)\b/i, 'refund'],
  ], scope);
}

export function methodAnswer(ctx: FlowContext, scope: AnswerScope = {}): ReturnMethod | null {
  return answer(ctx, 'return-method', RETURN_STEPS.method, ['label', 'drop_off'], [
    [/\b(drop(ped)?[- ]?off|drop it|ups store|store|in person|bring)\b/i, 'drop_off'],
    [/\b(label|print|mail it|post it|ship it)\b/i, 'label'],
  ], scope);
}

export function confirmAnswer(ctx: FlowContext): 'yes' | 'no' | null {
  const pressed = payloadValue(ctx, 'return-confirm');
  if (pressed === 'yes' || pressed === 'no') return pressed;
  if (ctx.state.step !== RETURN_STEPS.confirm || ctx.message.payload !== undefined) return null;
  if (ctx.nlu.intent === 'deny' || /\b(no|cancel|stop|never ?mind|don'?t)\b/i.test(ctx.message.text)) return 'no';
  if (ctx.nlu.intent === 'affirm' || /\b(yes|yep|yeah|confirm|go ahead|ok(ay)?|sure)\b/i.test(ctx.message.text)) return 'yes';
  return null;
}
