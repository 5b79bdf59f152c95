import type { ChoiceOption } from '../../core/message.js';
import { Reply, type FlowContext, type TurnDecision } from '../flow.js';
import { CLARIFY_MARGIN } from '../understanding/confidence.js';
import type { DialogueParts } from './deps.js';
import { MENU } from './menu.js';
import { handOff, unaskedTrigger } from './unasked-handoff.js';

/** Not sure what the customer wants: the likely options, a person, never a guessed flow. */
export function clarify(parts: DialogueParts, ctx: FlowContext): TurnDecision {
  const { copy } = parts;
  const trigger = unaskedTrigger(parts.deps, ctx);
  if (trigger !== null) return handOff(parts.handoffCopy, ctx, trigger);
  const reply = new Reply(ctx, null);
  // ctx.state already counts this message: a miss the policy does not hand off offers a person first.
  if (ctx.state.misunderstandings >= 2) {
    return reply.choose(copy.stillNotUnderstood, [copy.talkToPerson, ...copy.mainMenu.slice(0, 3)]).decision();
  }
  const options = candidates(parts, ctx);
  if (options.length > 0) {
    return reply.choose(copy.clarify, [...options, { label: copy.somethingElse, value: MENU }]).decision();
  }
  return reply.choose(copy.notUnderstood, copy.mainMenu).decision();
}

/** Intents near the top of the ranking that have a flow: what a clarifying question offers. */
function candidates(parts: DialogueParts, ctx: FlowContext): ChoiceOption[] {
  if (ctx.nlu.outOfScope?.reason === 'oos_class') return [];
  const top = ctx.nlu.ranking[0]?.confidence ?? 0;
  if (top < 0.25) return [];
  const options: ChoiceOption[] = [];
  for (const scored of ctx.nlu.ranking.slice(0, 3)) {
    if (scored.confidence < top - CLARIFY_MARGIN) continue;
    const label = parts.copy.intentLabel(scored.intent);
    if (label !== null && parts.deps.actions.get(scored.intent)?.flow !== undefined) options.push({ label, value: `intent:${scored.intent}` });
  }
  return options;
}
