import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { clarify } from './clarifying-question.js';
import type { DialogueParts } from './deps.js';
import { inPassing } from './in-passing.js';
import { suspension, withoutFrame } from './set-aside.js';

/** Flows that only answer and never hold the customer's records: run in passing, mid-flow. */
const IN_PASSING = new Set(['knowledge']);

/** Starts what the intent asks for; a running flow is set aside (a digression), not lost. */
export async function startFor(parts: DialogueParts, ctx: FlowContext, intent: string | null, active: Flow | undefined): Promise<TurnDecision> {
  const { deps, copy } = parts;
  if (intent === null) {
    return (await deps.answerUnhandled?.(ctx, null)) ?? clarify(parts, ctx);
  }
  const action = deps.actions.get(intent);
  const flowName = action?.humanOnly ? 'handoff' : action?.flow;
  const flow = flowName === undefined ? undefined : deps.flows.get(flowName);
  if (flow !== undefined && flowName !== 'knowledge' && flowName !== 'handoff' && payloadValue(ctx, 'intent') === null) {
    // "Who pays return shipping?" asks how things work: answered, not a return started.
    const answered = await deps.answerQuestion?.(ctx);
    if (answered) return active === undefined ? answered : inPassing(copy, ctx, active, answered);
  }
  if (flow !== undefined) {
    if (active !== undefined && IN_PASSING.has(flow.name)) return inPassing(copy, ctx, active, await flow.handle(withoutFrame(ctx, active), true));
    const decision = await flow.handle(active === undefined ? ctx : withoutFrame(ctx, active), true);
    if (active !== undefined) decision.events.unshift(suspension(ctx, active, decision));
    return decision;
  }
  if (action !== undefined && action.responses.length > 0) {
    const pick = deps.pick ?? ((options: readonly string[]) => options[Math.floor(Math.random() * options.length)]!);
    const reply = new Reply(ctx, null);
    return intent === 'greeting' ? reply.choose(pick(action.responses), copy.mainMenu).decision() : reply.say(pick(action.responses)).decision();
  }
  const answered = await deps.answerUnhandled?.(ctx, intent);
  return answered ?? clarify(parts, ctx);
}
